//! `mtasts plan DOMAIN --move-to HOST... | --enforce | --retire`: the safe steps of a change, with
//! dates, from the live policy and MX hosts (or a saved Evidence file).

use std::fmt::Write as _;

use mtasts::api::Checked;
use mtasts::plan::{plan, Goal, Plan};

use crate::commands::check::{self, Options};
use crate::commands::Out;
use crate::output::{indent, print_json, read_evidence, Fatal, Status};
use crate::render::safe;

pub(crate) fn run(
    out: &Out,
    domain: Option<&str>,
    evidence: Option<&str>,
    goal: &Goal,
    o: &Options,
) -> Result<Status, Fatal> {
    let (checked, now) = match (evidence, domain) {
        (Some(path), _) => {
            let ev = read_evidence(path)?;
            let t = ev.observed_at;
            (Checked::assess(ev), t)
        }
        (None, Some(d)) => {
            let mut found = None;
            check::each(&[d.to_owned()], o, check::Order::Input, false, |_, res| {
                found =
                    Some(res.map_err(|e| Fatal(format!("{}: {}", safe(d), safe(&e.to_string()))))?);
                Ok(())
            })?;
            let c = found.ok_or_else(|| Fatal("no result".into()))?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(c.evidence.observed_at, |d| d.as_secs());
            (c, now)
        }
        (None, None) => return Err(Fatal("give a domain or --evidence FILE".into())),
    };
    let hosts: Vec<String> = checked
        .report
        .mx_hosts
        .iter()
        .map(|m| m.host.clone())
        .collect();
    let p = plan(checked.report.policy.as_ref(), &hosts, goal, now)
        .map_err(|e| Fatal(format!("{}: {}", safe(&checked.report.domain), e)))?;
    if out.json {
        print_json(&p)?;
    } else {
        print!("{}", text(&checked.report.domain, &p));
    }
    Ok(Status::Clean)
}

fn text(domain: &str, p: &Plan) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Plan for {}:", safe(domain));
    for n in &p.notes {
        let _ = writeln!(o, "note: {}", safe(n));
    }
    for (i, s) in p.steps.iter().enumerate() {
        let when = s.not_before.map(|t| {
            let r = mtasts::civil::rfc3339(i64::try_from(t).unwrap_or(0));
            format!(" (not before {} {} UTC)", &r[..10], &r[11..16])
        });
        let _ = writeln!(
            o,
            "\n{}. {}{}",
            i + 1,
            safe(&s.title),
            when.unwrap_or_default()
        );
        let _ = writeln!(o, "   {}", safe(&s.detail));
        if let Some(policy) = &s.policy {
            let _ = writeln!(
                o,
                "   policy file (https://mta-sts.{}/.well-known/mta-sts.txt, CRLF line ends):",
                safe(domain)
            );
            let _ = writeln!(
                o,
                "{}",
                indent(&crate::render::safe_lines(&policy.replace("\r\n", "\n")))
            );
        }
        if let Some(txt) = &s.txt {
            let _ = writeln!(o, "   TXT at _mta-sts.{}: {}", safe(domain), safe(txt));
        }
    }
    o
}
