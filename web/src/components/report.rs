//! The full report: verdict, summary, findings, then the evidence section by section.

use leptos::prelude::*;
use mtasts::observe::evidence::{DnsLookup, LookupError, LookupStatus, PolicyFetch, RecordData};
use mtasts::MxHost;

use crate::components::{policy_marks, FindingList, NumberedText, VerdictBanner};
use crate::dom;
use crate::state::Checked;

/// A lookup's outcome as (class, words). A failed lookup is "could not check", never "missing".
pub(crate) fn lookup_outcome(l: &DnsLookup) -> (&'static str, String) {
    let qtype = l.qtype.as_str();
    match l.status() {
        LookupStatus::Found => {
            let n = l
                .answers
                .iter()
                .filter(|r| r.data.rtype() == l.qtype)
                .count();
            (
                "found",
                format!("{n} {qtype} record{}", if n == 1 { "" } else { "s" }),
            )
        }
        LookupStatus::NoData => (
            "absent",
            format!("No {qtype} record (the name exists, NODATA)"),
        ),
        LookupStatus::NxDomain => (
            "absent",
            format!("No {qtype} record (the name does not exist, NXDOMAIN)"),
        ),
        LookupStatus::Failed(kind, message) => {
            ("failed", format!("Could not check: {kind}: {message}"))
        }
    }
}

fn txt_strings(l: &DnsLookup) -> Vec<(Vec<String>, u32)> {
    l.answers
        .iter()
        .filter_map(|r| match &r.data {
            RecordData::Txt { strings } => Some((strings.clone(), r.ttl)),
            _ => None,
        })
        .collect()
}

/// One DNS lookup: name, outcome, CNAME chain and the records (TXT shown string by string).
#[component]
fn Lookup(lookup: DnsLookup) -> impl IntoView {
    let (class, words) = lookup_outcome(&lookup);
    let chain = (!lookup.cname_chain.is_empty()).then(|| {
        view! { <p class="muted">"Reached through CNAME: " <code>{lookup.cname_chain.join(" → ")}</code></p> }
    });
    let txts = txt_strings(&lookup);
    let records = (!txts.is_empty()).then(|| {
        let items = txts
            .into_iter()
            .map(|(strings, ttl)| {
                let quoted = strings
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(" ");
                view! { <li><code class="record">{quoted}</code>" "<span class="muted">{format!("TTL {ttl}")}</span></li> }
            })
            .collect_view();
        view! { <ul class="records">{items}</ul> }
    });
    view! {
        <div class="lookup">
            <p>
                <code>{lookup.name.clone()}</code>" "
                <span class=format!("status status-{class}")>{words}</span>
                {lookup.authenticated.then(|| view! { " " <span class="badge badge-prio">"DNSSEC-validated"</span> })}
            </p>
            {chain}
            {records}
        </div>
    }
}

fn fetch_error(e: &LookupError) -> String {
    format!("Could not fetch: {}: {}", e.kind.label(), e.message)
}

/// The policy fetch: HTTP facts, certificate, and the body with line numbers and marks.
#[component]
fn PolicySection(
    fetch: Option<PolicyFetch>,
    hosts: Vec<DnsLookup>,
    marks: Vec<crate::text::Mark>,
) -> impl IntoView {
    let host_lookups = hosts
        .into_iter()
        .map(|l| view! { <Lookup lookup=l/> })
        .collect_view();
    let Some(f) = fetch else {
        return view! {
            <p class="muted">"The policy file was not fetched."</p>
            {host_lookups}
        }
        .into_any();
    };
    let header = |name: &str| f.header(name).map(str::to_owned);
    let facts = vec![
        ("URL", Some(f.url.clone())),
        ("HTTP status", f.status.map(|s| s.to_string())),
        ("Content-Type", header("content-type")),
        ("Location (not followed)", f.location.clone()),
        ("Time", f.elapsed_ms.map(|ms| format!("{ms} ms"))),
    ];
    let facts = facts
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt><dd><code>{v}</code></dd> }))
        .collect_view();
    let cert = f.certificate.clone().map(|c| {
        let names = if c.subject_names.is_empty() {
            "(none)".to_owned()
        } else {
            c.subject_names.join(", ")
        };
        view! {
            <dt>"Certificate names"</dt><dd><code>{names}</code></dd>
            {c.issuer.map(|i| view! { <dt>"Issuer"</dt><dd>{i}</dd> })}
            {c.not_after.map(|t| view! { <dt>"Valid until"</dt><dd>{dom::utc(t)}</dd> })}
        }
    });
    let error = f
        .error
        .as_ref()
        .map(|e| view! { <p class="status status-failed">{fetch_error(e)}</p> });
    let body = f.body.as_ref().map(|b| {
        let (text, marks) = match std::str::from_utf8(&b.0) {
            Ok(t) => (t.to_owned(), marks),
            // Offsets would not line up with a lossy copy: show the text without marks.
            Err(_) => (String::from_utf8_lossy(&b.0).into_owned(), Vec::new()),
        };
        let truncated = f.truncated.then(|| view! { <p class="muted">"The body was longer than 64 KiB; only the first 64 KiB were read."</p> });
        view! {
            <h3>"The file as served"</h3>
            <NumberedText text=Signal::stored(text) marks=Signal::stored(marks) id_prefix="policy" label="The policy file as served"/>
            {truncated}
        }
    });
    view! {
        {host_lookups}
        <dl class="facts">{facts}{cert}</dl>
        {error}
        {body}
    }
    .into_any()
}

/// MX hosts and the policy pattern covering each ("not covered" otherwise); with `preference`,
/// the MX preference too (the checker has it; a draft's hosts may not).
#[component]
pub(crate) fn CoverageTable(
    hosts: Vec<MxHost>,
    #[prop(optional)] preference: bool,
) -> impl IntoView {
    let rows = hosts
        .into_iter()
        .map(|m| {
            let cover = match m.covered_by {
                Some(p) => view! { <td><code>{p}</code></td> }.into_any(),
                None => view! { <td class="status-failed">"not covered"</td> }.into_any(),
            };
            let pref = preference.then(
                || view! { <td>{m.preference.map(|p| p.to_string()).unwrap_or_default()}</td> },
            );
            view! {
                <tr>
                    {pref}
                    <td><code>{m.host}</code></td>
                    {cover}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="mx">
            <caption class="sr-only">"MX hosts and the policy pattern that covers each"</caption>
            <thead>
                <tr>
                    {preference.then(|| view! { <th scope="col">"Preference"</th> })}
                    <th scope="col">"Host"</th>
                    <th scope="col">"Covered by"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Ready to enforce? The readiness checklist, the stage and the next step.
#[component]
fn ReadinessView(readiness: mtasts::report::Readiness) -> impl IntoView {
    use mtasts::report::ItemStatus;
    let items = readiness
        .items
        .into_iter()
        .map(|i| {
            let (class, label) = match i.status {
                ItemStatus::Ok => ("badge-ok", "Done"),
                ItemStatus::Problem => ("badge-error", "To fix"),
                ItemStatus::NotChecked => ("badge-warning", "Not checked"),
                ItemStatus::NotApplicable => ("badge-prio", "Not applicable"),
            };
            view! {
                <li data-check=i.check.clone() data-status=i.status.as_str()>
                    <span class=format!("badge {class}")>{label}</span>" "{crate::components::rich(&i.text)}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="sec-ready" class="readiness">
            <h2 id="sec-ready">"Ready to enforce?"</h2>
            <p>"Stage: " <strong data-testid="stage">{readiness.stage}</strong></p>
            <ul class="readiness-list">{items}</ul>
            <p data-testid="next-step"><strong>"Next: "</strong>{readiness.next_step}</p>
        </section>
    }
}

/// The MX hosts' SMTP service: observed only by the CLI (`--smtp`), so from the browser it is
/// "not checked", with the command that checks it.
#[component]
fn MxTlsView(domain: String, hosts: Vec<MxHost>, probed: bool) -> impl IntoView {
    if !probed {
        let cmd = format!("mtasts check --smtp --format json {domain} > {domain}.json");
        return view! {
            <p data-testid="mx-tls-not-checked">
                "Not checked from the browser: browsers (and the edge this page asks) cannot open port 25, where MX hosts offer STARTTLS. "
                "Run " <code>{cmd}</code> " and open the file on this page to see every MX host's STARTTLS and certificate."
            </p>
        }
        .into_any();
    }
    let rows = hosts
        .into_iter()
        .map(|h| {
            let starttls = match h.starttls {
                Some(true) => view! { <td class="status-ok">"offered"</td> }.into_any(),
                Some(false) => view! { <td class="status-failed">"not offered"</td> }.into_any(),
                None => view! { <td class="status-unknown">"not seen"</td> }.into_any(),
            };
            let cert = match (&h.certificate, h.valid_for_host) {
                (Some(c), Some(v)) => {
                    let until = c.not_after.map(mtasts::civil::date).unwrap_or_default();
                    let text = format!(
                        "{} for this name; until {until}",
                        if v { "valid" } else { "not valid" }
                    );
                    view! { <td class=if v { "status-ok" } else { "status-failed" }>{text}</td> }
                        .into_any()
                }
                _ => view! { <td class="status-unknown">"no certificate seen"</td> }.into_any(),
            };
            view! {
                <tr>
                    <td><code>{h.host}</code></td>
                    {starttls}
                    <td>{h.tls_version.unwrap_or_default()}</td>
                    {cert}
                    <td>{h.error.unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="mx mx-tls">
            <caption class="sr-only">"Each MX host's STARTTLS, TLS version and certificate"</caption>
            <thead><tr>
                <th scope="col">"Host"</th><th scope="col">"STARTTLS"</th><th scope="col">"TLS"</th>
                <th scope="col">"Certificate"</th><th scope="col">"Problem"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The whole report. `children` go between the banner and the findings (the page's actions).
#[component]
pub(crate) fn ReportView(checked: Checked, children: Children) -> impl IntoView {
    let Checked {
        evidence: ev,
        report,
    } = checked;
    let findings = report.by_priority();
    let marks = policy_marks(&report.findings);
    let observed = report
        .observed_at
        .map(|t| view! { <p class="muted">"Observed " {dom::utc(t)}</p> });
    let sts = report
        .sts_record
        .as_ref()
        .map(|r| view! { <p>"Policy id: " <code>{r.id.clone()}</code></p> });
    let mx_table = (!report.mx_hosts.is_empty())
        .then(|| view! { <CoverageTable hosts=report.mx_hosts.clone() preference=true/> });
    let rua = report.tlsrpt.as_ref().map(|t| {
        let items = t
            .rua
            .iter()
            .map(|u| view! { <li><code>{u.clone()}</code></li> })
            .collect_view();
        view! { <p>"Reports go to:"</p><ul>{items}</ul> }
    });
    // What the report says about DNSSEC (the view judges nothing itself).
    let dnssec = report
        .with_code(mtasts::judge::dnssec::DNSSEC)
        .next()
        .map_or_else(
            || {
                "No MX or MTA-STS answer was found, so there was nothing for DNSSEC to validate."
                    .to_owned()
            },
            |f| f.message.to_string(),
        );
    let tlsa = ev
        .tlsa
        .clone()
        .into_iter()
        .map(|l| view! { <Lookup lookup=l/> })
        .collect_view();
    let readiness = report
        .readiness
        .clone()
        .map(|r| view! { <ReadinessView readiness=r/> });
    let senders = report
        .senders
        .clone()
        .map(|v| view! { <crate::components::SendersTable view=v/> });
    let probed = ev.smtp.is_some();
    let tls_hosts = report.mx_hosts.clone();
    let tls_domain = report.domain.clone();
    let tlsa_none = ev
        .tlsa
        .is_empty()
        .then(|| view! { <p class="muted">"No MX hosts to look up TLSA records for."</p> });
    let involved = report.involved.clone().map(|inv| {
        let rows = [("Mail provider", inv.mail), ("DNS host", inv.dns), ("Policy served by", inv.policy)]
            .into_iter()
            .filter_map(|(role, p)| {
                let p = p?;
                let name = p.name.unwrap_or_else(|| "not a provider this checker knows".into());
                Some(view! { <dt>{role}</dt><dd>{name}" " <span class="muted">{format!("({})", p.from)}</span></dd> })
            })
            .collect_view();
        view! {
            <section aria-labelledby="sec-involved">
                <h2 id="sec-involved">"Who is involved"</h2>
                <dl class="facts" data-testid="involved">{rows}</dl>
            </section>
        }
    });
    view! {
        <article class="report" aria-label=format!("Report for {}", report.domain)>
            <VerdictBanner verdict=report.verdict domain=report.domain.clone() summary=report.summary.clone()/>
            {observed}
            {children()}
            <section aria-labelledby="sec-findings">
                <h2 id="sec-findings">"Findings"</h2>
                <FindingList findings=findings/>
            </section>
            {readiness}
            {senders}
            <section aria-labelledby="sec-txt">
                <h2 id="sec-txt">"The MTA-STS TXT record"</h2>
                <Lookup lookup=ev.sts_txt.clone()/>
                {sts}
            </section>
            <section aria-labelledby="sec-policy">
                <h2 id="sec-policy">"The policy file"</h2>
                <PolicySection fetch=ev.policy_fetch.clone() hosts=ev.policy_host.clone() marks=marks/>
            </section>
            <section aria-labelledby="sec-mx">
                <h2 id="sec-mx">"MX coverage"</h2>
                <Lookup lookup=ev.mx.clone()/>
                {mx_table}
            </section>
            <section aria-labelledby="sec-mxtls">
                <h2 id="sec-mxtls">"MX hosts: STARTTLS and certificates"</h2>
                <MxTlsView domain=tls_domain hosts=tls_hosts probed=probed/>
            </section>
            <section aria-labelledby="sec-tlsrpt">
                <h2 id="sec-tlsrpt">"TLS reporting (TLS-RPT)"</h2>
                <Lookup lookup=ev.tlsrpt_txt.clone()/>
                {rua}
            </section>
            <section aria-labelledby="sec-dane">
                <h2 id="sec-dane">"DNSSEC and DANE"</h2>
                <p data-testid="dnssec-status">{crate::components::rich(&dnssec)}</p>
                {tlsa}
                {tlsa_none}
            </section>
            {involved}
        </article>
    }
}
