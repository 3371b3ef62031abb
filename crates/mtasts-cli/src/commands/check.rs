//! `mtasts check DOMAIN...`: DNS over HTTPS and the HTTPS policy fetch, then the same assessment
//! as the web page, for one domain or many at once.

use mtasts::api::Checked;
use mtasts::{InputError, InputRules, Verdict};

use crate::commands::Out;
use crate::net;
use std::io::Write as _;

use crate::output::{Fatal, Status};
use crate::render::safe;

/// The network options of `check` and `watch`.
pub(crate) use crate::args::CheckOptions as Options;

/// The most domains checked at once: beyond this, the checker's own load (sockets, CPU for TLS)
/// starts to cause the time-outs it would then report.
pub(crate) const MAX_CONCURRENCY: usize = 256;

pub(crate) fn run(out: &Out, domains: &[String], o: &Options) -> Result<Status, Fatal> {
    let mut printer = Printer {
        out,
        many: domains.len() > 1,
        printed: 0,
        all_ok: true,
        bad_input: false,
    };
    each(domains, o, |input, res| printer.print(input, res))?;
    printer.finish()
}

/// Checks `domains` with the options `o`, at most `--concurrency` at once, and hands each result
/// to `handle` in input order as soon as it and those before it are done, so memory stays flat
/// in the number of domains (`check` prints them, `watch` compares and stores them).
pub(crate) fn each(
    domains: &[String],
    o: &Options,
    mut handle: impl FnMut(&str, Result<Checked, InputError>) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    let resolve = o
        .resolve
        .iter()
        .map(|r| net::parse_resolve(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Fatal)?;
    let transport = net::Native::new(
        &o.doh,
        o.allow_http_doh,
        resolve,
        o.ca_file.as_deref(),
        std::time::Duration::from_secs(o.timeout.max(1)),
    )
    .map_err(Fatal)?;
    let rules = InputRules {
        allow_test: o.allow_test_domains,
    };
    let concurrency = o.concurrency.clamp(1, MAX_CONCURRENCY);
    if concurrency != o.concurrency {
        eprintln!(
            "mtasts: --concurrency {} is out of range; using {concurrency} (1 to {MAX_CONCURRENCY})",
            o.concurrency
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start: {e}")))?;
    rt.block_on(async {
        use futures::StreamExt as _;
        // At most `concurrency` checks in flight, started in input order and finished in any
        // order: a check that waits out a time-out does not hold back the others (with an
        // ordered buffer it did: each stalled lookup stopped the whole run for its time-out).
        // Results are handed on in input order; those that finish early wait in `ready`.
        let mut results = futures::stream::iter(domains.iter().enumerate().map(|(i, d)| {
            let t = &transport;
            let smtp = o.smtp;
            let step = std::time::Duration::from_secs(o.timeout.max(1));
            async move {
                let res = async {
                    let domain = mtasts::normalize_domain(d, rules)?;
                    let mut ev = mtasts::gather(t, &domain).await;
                    if smtp {
                        // Hosts and addresses at once: about the slowest session, bounded overall.
                        ev.smtp = Some(crate::smtp::probe(t, &ev, step, step * 4).await);
                    }
                    Ok::<_, InputError>(Checked::assess(ev))
                }
                .await;
                (i, res)
            }
        }))
        .buffer_unordered(concurrency);
        let mut ready = std::collections::BTreeMap::new();
        let mut next = 0;
        while let Some((i, res)) = results.next().await {
            ready.insert(i, res);
            while let Some(res) = ready.remove(&next) {
                handle(domains.get(next).map_or("", String::as_str), res)?;
                next += 1;
            }
        }
        Ok::<_, Fatal>(())
    })
}

/// Writes each result as it arrives: text reports, or the JSON document (one object for one
/// domain, an array written element by element for several).
struct Printer<'a> {
    out: &'a Out,
    many: bool,
    printed: usize,
    all_ok: bool,
    bad_input: bool,
}

impl Printer<'_> {
    fn print(&mut self, input: &str, res: Result<Checked, InputError>) -> Result<(), Fatal> {
        let value = match res {
            Ok(checked) => {
                self.all_ok &= checked.report.verdict != Verdict::Fail;
                if !self.out.json {
                    println!(
                        "{}",
                        self.out.text.report(&checked.report, &checked.evidence)
                    );
                    return Ok(());
                }
                serde_json::to_value(&checked).map_err(|e| Fatal(e.to_string()))?
            }
            Err(e) => {
                self.bad_input = true;
                if !self.out.json {
                    eprintln!("mtasts: {}: {}", safe(input), safe(&e.to_string()));
                    return Ok(());
                }
                serde_json::json!({"input": input, "error": {"code": "bad-input", "message": e.to_string()}})
            }
        };
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| Fatal(format!("cannot write JSON: {e}")))?;
        let mut stdout = std::io::stdout().lock();
        let sep = match (self.many, self.printed) {
            (false, _) => "",
            (true, 0) => "[\n",
            (true, _) => ",\n",
        };
        let _ = write!(stdout, "{sep}{text}");
        if !self.many {
            let _ = writeln!(stdout);
        }
        let _ = stdout.flush();
        self.printed += 1;
        Ok(())
    }

    fn finish(self) -> Result<Status, Fatal> {
        if self.out.json && self.many {
            println!("{}", if self.printed == 0 { "[]" } else { "\n]" });
        }
        if self.bad_input {
            return Err(Fatal(
                "some inputs are not domains that can be checked".into(),
            ));
        }
        Ok(Status::of(self.all_ok))
    }
}
