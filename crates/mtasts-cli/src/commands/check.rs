//! `mtasts check DOMAIN...`: DNS over HTTPS and the HTTPS policy fetch, then the same assessment
//! as the web page, for one domain or many at once.

use mtasts::api::Checked;
use mtasts::observe::evidence::{DnsLookup, ErrorKind, LookupError};
use mtasts::{Evidence, InputError, InputRules};

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
/// Where adaptive concurrency starts.
const START_CONCURRENCY: usize = 32;

pub(crate) fn run(out: &Out, args: &[String], o: &Options) -> Result<Status, Fatal> {
    let domains = domains(args)?;
    let mut printer = Printer {
        out,
        many: domains.len() > 1,
        printed: 0,
        all_ok: true,
        bad_input: false,
        targets: vec![],
    };
    // JSON lines stream in the order checks finish; the other formats keep the input order.
    let order = if out.lines {
        Order::Completion
    } else {
        Order::Input
    };
    let text = out.format == crate::args::Format::Text;
    each(&domains, o, order, text, |input, res| {
        printer.print(input, res)
    })?;
    printer.finish()
}

/// The domains given, or read from standard input for `-` (one a line; blank lines and `#`
/// comments skipped).
pub(crate) fn domains(args: &[String]) -> Result<Vec<String>, Fatal> {
    use std::io::BufRead as _;
    let mut out = vec![];
    for a in args {
        if a == "-" {
            for l in std::io::stdin().lock().lines() {
                let l = l.map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
                let l = l.split('#').next().unwrap_or("").trim();
                if !l.is_empty() {
                    out.push(l.to_owned());
                }
            }
        } else {
            out.push(a.clone());
        }
    }
    Ok(out)
}

/// In which order [`each`] hands results on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// The order of the input (results that finish early wait for those before them).
    Input,
    /// As they finish (nothing waits; memory does not depend on a slow domain).
    Completion,
}

/// How many checks run at once: `--concurrency N` fixes it; without it, it adapts like TCP's
/// congestion window — it doubles each time as many checks as it allows have finished without
/// a time-out, until the first time-out; then it is halved (once per window) and grows by an
/// eighth a window.
struct Pace {
    limit: usize,
    fixed: bool,
    slow_start: bool,
    since: usize,
}

impl Pace {
    fn new(fixed: Option<usize>) -> Self {
        Pace {
            limit: fixed.unwrap_or(START_CONCURRENCY),
            fixed: fixed.is_some(),
            slow_start: true,
            since: 0,
        }
    }

    fn done(&mut self, timed_out: bool) {
        if self.fixed {
            return;
        }
        self.since += 1;
        if timed_out {
            if self.since >= self.limit / 2 {
                self.limit = (self.limit / 2).max(1);
                self.slow_start = false;
                self.since = 0;
            }
        } else if self.since >= self.limit {
            let grown = if self.slow_start {
                self.limit * 2
            } else {
                self.limit + self.limit / 8 + 1
            };
            self.limit = grown.min(MAX_CONCURRENCY);
            self.since = 0;
        }
    }
}

/// The lookups and the fetch of `ev` that timed out.
fn timeouts(ev: &mut Evidence) -> Vec<&mut LookupError> {
    let mut lookups: Vec<&mut DnsLookup> = vec![&mut ev.sts_txt, &mut ev.mx, &mut ev.tlsrpt_txt];
    lookups.extend(ev.policy_host.iter_mut());
    lookups.extend(ev.tlsa.iter_mut());
    lookups.extend(ev.rua_mx.iter_mut());
    lookups.extend(ev.ns.iter_mut());
    let mut errors: Vec<&mut LookupError> = lookups
        .into_iter()
        .filter_map(|l| l.error.as_mut())
        .collect();
    errors.extend(ev.policy_fetch.iter_mut().filter_map(|f| f.error.as_mut()));
    errors.retain(|e| e.kind == ErrorKind::Timeout);
    errors
}

/// Checks `domains` with the options `o`, several at once (see [`Pace`]), and hands each result
/// to `handle` in `order` as soon as it can, so memory stays flat in the number of domains
/// (`check` prints them, `watch` compares and stores them). When many domains are checked, a
/// check with a time-out is run once more, later and with fewer checks at once, before it is
/// reported: a time-out our own load caused is not the domain's. One that times out again says
/// so in its cause ("seen under bulk load"). With `text` output, progress is shown on a
/// terminal ([`crate::progress`]).
pub(crate) fn each(
    domains: &[String],
    o: &Options,
    order: Order,
    text: bool,
    mut handle: impl FnMut(&str, Result<Checked, InputError>) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    // Progress on a terminal (text output only): each result counted as it is handed on.
    let mut progress = crate::progress::Progress::new(domains.len(), "domains", text);
    let mut handle = |input: &str, res: Result<Checked, InputError>| {
        let failed = res
            .as_ref()
            .map_or(true, |c| c.report.verdict == mtasts::Verdict::Fail);
        let r = progress.suspend(|| handle(input, res));
        progress.step(failed);
        r
    };
    let job = Job {
        transport: transport(o)?,
        rules: InputRules {
            allow_test: o.allow_test_domains,
        },
        smtp: o.smtp,
        step: std::time::Duration::from_secs(o.timeout.max(1)),
    };
    let fixed = fixed_concurrency(o.concurrency);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start: {e}")))?;
    let name = |i: usize| domains.get(i).map_or("", String::as_str);
    rt.block_on(async {
        use futures::stream::{FuturesUnordered, StreamExt as _};
        let mut queue = Queue::new(fixed, domains.len());
        let mut running = FuturesUnordered::new();
        loop {
            while let Some((i, first)) = queue.next(running.len()) {
                running.push(job.check(name(i), i, first));
            }
            let Some((i, first, res)) = running.next().await else {
                break;
            };
            let Some(res) = queue.finished(i, first, res, running.len() + 1) else {
                continue;
            };
            if order == Order::Completion {
                handle(name(i), res)?;
                continue;
            }
            queue.ready.insert(i, res);
            while let Some(res) = queue.ready.remove(&queue.next_out) {
                handle(name(queue.next_out), res)?;
                queue.next_out += 1;
            }
        }
        Ok::<_, Fatal>(())
    })
}

/// The DNS-over-HTTPS and HTTPS client of the options `o`.
fn transport(o: &Options) -> Result<net::Native, Fatal> {
    let resolve = o
        .resolve
        .iter()
        .map(|r| net::parse_resolve(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Fatal)?;
    net::Native::new(
        &o.doh,
        o.allow_http_doh,
        resolve,
        o.ca_file.as_deref(),
        std::time::Duration::from_secs(o.timeout.max(1)),
    )
    .map_err(Fatal)
}

/// `--concurrency N` brought into range, with a warning when it was out of it (`None`: adaptive).
fn fixed_concurrency(asked: Option<usize>) -> Option<usize> {
    let fixed = asked.map(|n| n.clamp(1, MAX_CONCURRENCY));
    if let (Some(n), Some(c)) = (asked, fixed) {
        if n != c {
            eprintln!(
                "mtasts: --concurrency {n} is out of range; using {c} (1 to {MAX_CONCURRENCY})"
            );
        }
    }
    fixed
}

/// What every check needs.
struct Job {
    transport: net::Native,
    rules: InputRules,
    /// Whether to probe the MX hosts over SMTP too.
    smtp: bool,
    /// The time-out of one step.
    step: std::time::Duration,
}

/// One check's index, how many checks ran when it first timed out (a retry), and its Evidence.
type Done = (usize, Option<usize>, Result<Evidence, InputError>);

impl Job {
    /// Checks `domain`, the `i`th; `first` is how many checks ran when it first timed out, when
    /// this is its retry.
    async fn check(&self, domain: &str, i: usize, first: Option<usize>) -> Done {
        let res = async {
            let domain = mtasts::normalize_domain(domain, self.rules)?;
            let mut ev = mtasts::gather(&self.transport, &domain).await;
            if self.smtp {
                // Hosts and addresses at once: about the slowest session, bounded overall.
                let step = self.step;
                ev.smtp = Some(crate::smtp::probe(&self.transport, &ev, step, step * 4).await);
            }
            Ok::<_, InputError>(ev)
        }
        .await;
        (i, first, res)
    }
}

/// Which check [`each`] starts next, and the results that wait for those before them.
struct Queue {
    pace: Pace,
    /// How many domains there are.
    total: usize,
    /// Whether many domains are checked (a time-out is then checked once more).
    bulk: bool,
    /// The next domain not started yet.
    next_new: usize,
    /// Time-outs to check once more: (index, how many checks ran when it timed out).
    retry: std::collections::VecDeque<(usize, usize)>,
    /// Input order: results that finish early wait here for those before them.
    ready: std::collections::BTreeMap<usize, Result<Checked, InputError>>,
    /// The next result to hand on in input order.
    next_out: usize,
}

impl Queue {
    /// Nothing started yet, of `total` domains; `fixed`: `--concurrency`.
    fn new(fixed: Option<usize>, total: usize) -> Self {
        Queue {
            pace: Pace::new(fixed),
            total,
            bulk: total > 1,
            next_new: 0,
            retry: Default::default(),
            ready: Default::default(),
            next_out: 0,
        }
    }

    /// The check to start now, `running` checks running: a retry first, but only when fewer than
    /// half as many checks run as when it timed out; then a new one, as far as the pace allows.
    fn next(&mut self, running: usize) -> Option<(usize, Option<usize>)> {
        if let Some(&(i, seen)) = self.retry.front() {
            if running < (seen / 2).max(1) {
                self.retry.pop_front();
                return Some((i, Some(seen)));
            }
        }
        if running < self.pace.limit && self.next_new < self.total {
            self.next_new += 1;
            return Some((self.next_new - 1, None));
        }
        None
    }

    /// The result of check `i`, which finished with `at_once` checks running (itself included):
    /// assessed, or `None` when it timed out in bulk for the first time and waits for its retry.
    fn finished(
        &mut self,
        i: usize,
        first: Option<usize>,
        res: Result<Evidence, InputError>,
        at_once: usize,
    ) -> Option<Result<Checked, InputError>> {
        let mut ev = match res {
            Ok(ev) => ev,
            Err(e) => {
                self.pace.done(false);
                return Some(Err(e));
            }
        };
        let mut timed_out = timeouts(&mut ev);
        self.pace.done(!timed_out.is_empty());
        if self.bulk && !timed_out.is_empty() {
            match first {
                None => {
                    self.retry.push_back((i, at_once));
                    return None;
                }
                Some(seen) => {
                    for e in &mut timed_out {
                        e.message.push_str(&format!(
                            " (seen under bulk load: {seen} checks ran at once; retried once with {at_once} at once, and it timed out again)"
                        ));
                    }
                }
            }
        }
        Some(Ok(Checked::assess(ev)))
    }
}

/// The pipeline formats' view of a checked domain: its findings, and the policy body seen.
pub(crate) fn target(ev: &Evidence, report: mtasts::Report) -> crate::pipeline::Target {
    let policy = ev
        .policy_fetch
        .as_ref()
        .and_then(|f| f.body.as_ref())
        .map(|b| b.0.clone());
    crate::pipeline::Target {
        name: report.domain,
        source: crate::pipeline::Source::Domain { policy },
        findings: report.findings,
    }
}

/// Writes each result as it arrives: text reports, or the JSON document (one object for one
/// domain, an array written element by element for several); the pipeline formats (one
/// document for every domain) are written at the end.
struct Printer<'a> {
    out: &'a Out,
    many: bool,
    printed: usize,
    all_ok: bool,
    bad_input: bool,
    targets: Vec<crate::pipeline::Target>,
}

impl Printer<'_> {
    fn print(&mut self, input: &str, res: Result<Checked, InputError>) -> Result<(), Fatal> {
        let value = match res {
            Ok(checked) => {
                self.all_ok &= self.out.verdict_status(checked.report.verdict) == Status::Clean;
                if self.out.pipeline() {
                    let Checked { evidence, report } = checked;
                    self.targets.push(target(&evidence, report));
                    return Ok(());
                }
                if !self.out.json {
                    println!(
                        "{}",
                        self.out.text.report(&checked.report, &checked.evidence)
                    );
                    return Ok(());
                }
                if self.out.lines {
                    // One object a line: the input, then the `{evidence, report}` of `--format json`.
                    let body = serde_json::to_string(&checked)
                        .map_err(|e| Fatal(format!("cannot write JSON: {e}")))?;
                    let input = serde_json::to_string(input).unwrap_or_default();
                    let mut stdout = std::io::stdout().lock();
                    let _ = writeln!(stdout, "{{\"input\":{input},{}", &body[1..]);
                    return Ok(());
                }
                serde_json::to_value(&checked).map_err(|e| Fatal(e.to_string()))?
            }
            Err(e) => {
                self.bad_input = true;
                if !self.out.json || self.out.pipeline() {
                    eprintln!("mtasts: {}: {}", safe(input), safe(&e.to_string()));
                    return Ok(());
                }
                serde_json::json!({"input": input, "error": {"code": "bad-input", "message": e.to_string()}})
            }
        };
        if self.out.lines {
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{value}");
            return Ok(());
        }
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
        if self.out.pipeline() {
            self.out.print_pipeline("check", &self.targets)?;
        } else if self.out.json && !self.out.lines && self.many {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_doubles_until_a_time_out_then_halves_and_grows_slowly() {
        let mut p = Pace::new(None);
        assert_eq!(p.limit, START_CONCURRENCY);
        for _ in 0..START_CONCURRENCY {
            p.done(false);
        }
        assert_eq!(p.limit, 2 * START_CONCURRENCY);
        for _ in 0..10_000 {
            p.done(false);
        }
        assert_eq!(p.limit, MAX_CONCURRENCY, "never beyond the ceiling");
        for _ in 0..MAX_CONCURRENCY / 2 {
            p.done(false);
        }
        p.done(true);
        assert_eq!(p.limit, MAX_CONCURRENCY / 2);
        // A burst of time-outs from the same moment halves once, not once each.
        for _ in 0..10 {
            p.done(true);
        }
        assert_eq!(p.limit, MAX_CONCURRENCY / 2);
        for _ in 0..MAX_CONCURRENCY / 2 {
            p.done(false);
        }
        assert_eq!(
            p.limit,
            MAX_CONCURRENCY / 2 + MAX_CONCURRENCY / 16 + 1,
            "an eighth a window"
        );
        let mut fixed = Pace::new(Some(8));
        fixed.done(true);
        for _ in 0..100 {
            fixed.done(false);
        }
        assert_eq!(fixed.limit, 8);
    }
}
