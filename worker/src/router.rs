//! Builds the Router: `/api/health`, `/api/evidence`, `/api/report`, `/api/mx`; everything else under
//! `/api/` is a JSON 404. Configuration is shared through `Router::with_data`.

use worker::{Env, Method, Request, Response, Result, Router};

use crate::config::Config;
use crate::{handlers, respond};

pub(crate) async fn handle(req: Request, env: Env) -> Result<Response> {
    if req.method() == Method::Options {
        return respond::preflight();
    }
    let config = Config::from_env(&env);
    Router::with_data(config)
        .get_async("/api/health", handlers::health)
        .get_async("/api/evidence", handlers::evidence)
        .get_async("/api/report", handlers::report)
        .get_async("/api/mx", handlers::mx)
        .or_else_any_method_async("/api/*rest", |_, _| async {
            respond::error(404, "not-found", "no such API endpoint; see /api/health")
        })
        .run(req, env)
        .await
}
