//! Builds the Router: `/api/health`, `/api/evidence`, `/api/report`, `/api/mx`, `/api/feed` and
//! `/badge`, the monitor's routes and the TLS-RPT destinations (`/api/tlsrpt/:token`,
//! `/api/monitor/:id/tlsrpt`), and `/api/bench/report` and `/api/bench/tlsrpt` when the operator
//! turns them on; everything else under `/api/` is a JSON 404. Configuration is shared through
//! `Router::with_data`.

use mtasts::api::{self, ApiError};
use worker::{Env, Method, Request, Response, Result, Router};

use crate::config::Config;
use crate::{handlers, monitor, respond, tlsrpt};

pub(crate) async fn handle(req: Request, env: Env) -> Result<Response> {
    if req.method() == Method::Options {
        return respond::preflight();
    }
    let config = Config::from_env(&env);
    let bench = config.bench_route;
    let test_routes = config.monitor_test_routes;
    let mut router = Router::with_data(config)
        .get_async(api::HEALTH_PATH, handlers::health)
        .get_async(api::EVIDENCE_PATH, handlers::evidence)
        .get_async(api::REPORT_PATH, handlers::report)
        .get_async(api::MX_PATH, handlers::mx)
        .get_async(mtasts::monitor::FEED_PATH, handlers::feed)
        .get_async(mtasts::monitor::BADGE_PATH, handlers::badge)
        .post_async(monitor::api::PATH, monitor::api::subscribe)
        .get_async("/api/monitor/:id", monitor::api::show)
        .delete_async("/api/monitor/:id", monitor::api::delete)
        .post_async("/api/monitor/:id/verify", monitor::api::verify)
        .get_async("/api/monitor/:id/feed", monitor::api::feed)
        .get_async("/api/monitor/:id/unsubscribe", monitor::api::unsubscribe)
        .post_async("/api/monitor/:id/unsubscribe", monitor::api::unsubscribe)
        .post_async("/api/tlsrpt/:token", tlsrpt::http::post)
        .get_async("/api/monitor/:id/tlsrpt", tlsrpt::http::show)
        .post_async("/api/monitor/:id/tlsrpt", tlsrpt::http::settings);
    if test_routes {
        router = router
            .post_async(monitor::api::ENQUEUE_PATH, monitor::api::enqueue)
            .get_async(monitor::api::STATS_PATH, monitor::api::test_stats);
    }
    if bench {
        router = router.post_async(handlers::BENCH_PATH, handlers::bench_report);
        router = router.post_async(tlsrpt::http::BENCH_PATH, tlsrpt::http::bench);
    }
    router
        .or_else_any_method_async("/api/*rest", |_, _| async {
            respond::error(&ApiError::NotFound)
        })
        .run(req, env)
        .await
}
