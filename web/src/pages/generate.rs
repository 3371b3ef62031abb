//! The generator (`/generate`): MX hosts, mode and max_age in; the policy file, the TXT record and
//! the TLS-RPT record out, with the rollout checklist.

use leptos::prelude::*;
use leptos::task::spawn_local;
use mtasts::observe::evidence::LookupStatus;
use mtasts::{GenerateInput, Generated, Mode};

use crate::api;
use crate::components::CopyButton;
use crate::dom;
use crate::state::AppState;
use crate::text::lines_of;

/// max_age choices: (seconds, words).
const MAX_AGES: &[(u64, &str)] = &[
    (86_400, "1 day — while testing"),
    (604_800, "1 week"),
    (1_209_600, "2 weeks"),
    (2_592_000, "30 days"),
    (15_552_000, "180 days"),
    (31_557_600, "1 year — the maximum"),
];

/// Host names from the MX box: `host` or `preference host` a line.
fn hosts(text: &str) -> Vec<String> {
    lines_of(text)
        .into_iter()
        .filter_map(|l| l.split_whitespace().last().map(str::to_owned))
        .collect()
}

/// What the person typed and chose, and the fill from DNS: signals, so the page's parts share it.
#[derive(Clone, Copy)]
struct Inputs {
    /// The MX box, as typed (or filled from DNS).
    mx: RwSignal<String>,
    /// The domain box.
    domain: RwSignal<String>,
    /// `testing`, `enforce` or `none`.
    mode: RwSignal<String>,
    /// Seconds.
    max_age: RwSignal<u64>,
    /// Where TLS reports go, as typed.
    rua: RwSignal<String>,
    /// The time the TXT id is made of ("New id" sets it).
    now: RwSignal<u64>,
    /// What the fill from DNS found (or why it could not).
    fill_status: RwSignal<String>,
    /// A fill from DNS is under way.
    filling: RwSignal<bool>,
    /// Errors appear once the person has had a chance to act: after typing, or a fill from DNS.
    acted: RwSignal<bool>,
}

impl Inputs {
    /// Empty boxes, or the domain checked last and its MX hosts, if any (only where the build
    /// also carries the checker, which keeps the latest check: see `App`).
    fn new(state: Option<AppState>) -> Self {
        let mx = RwSignal::new(String::new());
        let domain = RwSignal::new(String::new());
        // Start from the domain checked last, if any.
        if let Some(c) = state.and_then(|s| s.last.get_untracked()) {
            domain.set(c.report.domain.clone());
            mx.set(
                c.report
                    .mx_hosts
                    .iter()
                    .map(|m| m.host.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        Inputs {
            mx,
            domain,
            mode: RwSignal::new("testing".to_owned()),
            max_age: RwSignal::new(86_400u64),
            rua: RwSignal::new(String::new()),
            now: RwSignal::new(dom::now_secs()),
            fill_status: RwSignal::new(String::new()),
            filling: RwSignal::new(false),
            acted: RwSignal::new(!mx.get_untracked().is_empty()),
        }
    }

    /// The policy file and the records, or why they cannot be made (tracked).
    fn generate(self) -> Result<Generated, String> {
        let rua = self.rua.get();
        let rua = rua.trim();
        let input = GenerateInput {
            mx: hosts(&self.mx.get()),
            mode: match self.mode.get().as_str() {
                "enforce" => Mode::Enforce,
                "none" => Mode::None,
                _ => Mode::Testing,
            },
            max_age: self.max_age.get(),
            now: self.now.get(),
            domain: self.domain.get().trim().to_owned(),
            rua: if rua.contains('@') && !rua.contains(':') {
                format!("mailto:{rua}")
            } else {
                rua.to_owned()
            },
        };
        mtasts::generate(&input).map_err(|e| e.to_string())
    }

    /// Fills the MX box from the domain's MX records, saying what was found.
    fn fill(self) {
        let Inputs {
            mx,
            domain,
            fill_status,
            filling,
            acted,
            ..
        } = self;
        let raw = domain.get_untracked();
        let d = match api::normalize(&raw) {
            Ok(d) => d,
            Err(e) => {
                fill_status.set(format!("Could not look up MX hosts: {e}"));
                return;
            }
        };
        filling.set(true);
        fill_status.set(format!("Looking up the MX hosts of {d}…"));
        spawn_local(async move {
            let msg = match crate::judged::mx(&d).await {
                Err(e) => format!("Could not check: {e}"),
                Ok(l) => match l.status() {
                    LookupStatus::Failed(kind, m) => format!("Could not check: {kind}: {m}"),
                    LookupStatus::NoData | LookupStatus::NxDomain => {
                        format!("{d} has no MX records.")
                    }
                    LookupStatus::Found => {
                        let found: Vec<(u16, String)> = l
                            .mx_records()
                            .into_iter()
                            .filter(|(_, h)| !h.is_empty())
                            .collect();
                        if found.is_empty() {
                            format!("{d} has a null MX: it receives no mail, so it needs no MTA-STS policy.")
                        } else {
                            let n = found.len();
                            mx.set(
                                found
                                    .into_iter()
                                    .map(|(p, h)| format!("{p} {h}"))
                                    .collect::<Vec<_>>()
                                    .join("\n"),
                            );
                            domain.set(d.clone());
                            format!(
                                "Filled in {n} MX host{} of {d}.",
                                if n == 1 { "" } else { "s" }
                            )
                        }
                    }
                },
            };
            fill_status.set(msg);
            filling.set(false);
            acted.set(true);
        });
    }
}

/// The generator page.
#[component]
pub(crate) fn GeneratePage() -> impl IntoView {
    dom::set_title("Policy generator");
    let inputs = Inputs::new(use_context::<AppState>());
    let generated = Memo::new(move |_| inputs.generate());
    view! {
        <h1>"Policy generator"</h1>
        <p class="lead">"From your MX hosts to the three things to publish, ready to copy."</p>
        {form(inputs)}
        <div class="gen-output" aria-live="polite">
            {output(generated, inputs.acted, inputs.now)}
        </div>
        <crate::components::Planner/>
    }
}

/// The form, writing `inputs`: domain (with the fill from DNS), MX hosts, mode, max_age, where
/// reports go.
fn form(inputs: Inputs) -> impl IntoView {
    let Inputs {
        mx,
        domain,
        mode,
        max_age,
        rua,
        fill_status,
        filling,
        acted,
        ..
    } = inputs;
    let age_options = MAX_AGES
        .iter()
        .map(|(s, words)| view! { <option value=s.to_string() selected=*s == 86_400>{*words}</option> })
        .collect_view();
    view! {
        <form class="gen-form" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="gen-domain">"Domain"</label>
                <div class="row">
                    <input id="gen-domain" type="text" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="example.com"
                        prop:value=move || domain.get() on:input=move |ev| domain.set(event_target_value(&ev))/>
                    <button type="button" class="btn" on:click=move |_| inputs.fill() prop:disabled=move || filling.get()>"Fill MX hosts from DNS"</button>
                </div>
                <p class="help" role="status">{move || fill_status.get()}</p>
            </div>
            <div class="field">
                <label for="gen-mx">"MX hosts"</label>
                <textarea id="gen-mx" rows="3" spellcheck="false" aria-describedby="gen-mx-help"
                    prop:value=move || mx.get() on:input=move |ev| { acted.set(true); mx.set(event_target_value(&ev)) }></textarea>
                <p id="gen-mx-help" class="help">"One a line; a preference before the name is ignored."</p>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="gen-mode">"Mode"</label>
                    <select id="gen-mode" on:change=move |ev| mode.set(event_target_value(&ev))>
                        <option value="testing" selected=true>"testing — report, deliver anyway"</option>
                        <option value="enforce">"enforce — refuse unprotected delivery"</option>
                        <option value="none">"none — withdraw the policy"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="gen-age">"max_age"</label>
                    <select id="gen-age" on:change=move |ev| if let Ok(v) = event_target_value(&ev).parse() { max_age.set(v) }>
                        {age_options}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="gen-rua">"Where TLS reports go (optional)"</label>
                <input id="gen-rua" type="text" autocomplete="off" placeholder="tls-reports@example.com" aria-describedby="gen-rua-help"
                    prop:value=move || rua.get() on:input=move |ev| rua.set(event_target_value(&ev))/>
                <p id="gen-rua-help" class="help">"An e-mail address, a "<code>"mailto:"</code>" or an "<code>"https:"</code>" URI; by default "<code>"tls-reports@"</code>" at your domain."</p>
            </div>
        </form>
    }
}

/// What the generator made of the boxes: the hint before the person has `acted`, the error, or
/// what to publish (its TXT id made of `now`) and the checklist.
fn output(
    generated: Memo<Result<Generated, String>>,
    acted: RwSignal<bool>,
    now: RwSignal<u64>,
) -> impl IntoView {
    // A closure block in `view!`, not a closure returned bare: with `erase_components` the macro
    // shares one render instantiation among the closures of an output type.
    view! {
        {move || match generated.get() {
            Err(_) if !acted.get() => view! {
                <p class="help" data-testid="gen-hint">"Type your MX hosts, or fill them from DNS, to see the policy file and the records."</p>
            }
            .into_any(),
            Err(e) => view! { <p class="field-error" role="alert">{e}</p> }.into_any(),
            Ok(g) => {
                let domain = g.domain.clone();
                view! {
                    {published(g, now)}
                    {checklist(domain)}
                }
                .into_any()
            }
        }}
    }
}

/// The policy file, the two TXT records and the zone-file lines, each with its copy button; "New
/// id" sets `now`.
fn published(g: Generated, now: RwSignal<u64>) -> impl IntoView {
    let policy_url = format!("https://mta-sts.{}/.well-known/mta-sts.txt", g.domain);
    let policy = g.policy.clone();
    view! {
        <section aria-labelledby="out-policy" class="output">
            <h2 id="out-policy">"1. The policy file"</h2>
            <p>"Serve it at " <code>{policy_url}</code> " over HTTPS, with a certificate for " <code>{format!("mta-sts.{}", g.domain)}</code> ", as " <code>"text/plain"</code> ", without redirects."</p>
            <pre class="code" tabindex="0" aria-label="Policy file"><code>{g.policy.clone()}</code></pre>
            <CopyButton text=Signal::stored(g.policy.clone()) label="Copy the policy"/>
            <button type="button" class="btn" on:click=move |_| dom::download("mta-sts.txt", &policy, "text/plain")>"Download mta-sts.txt"</button>
        </section>
        <section aria-labelledby="out-txt" class="output">
            <h2 id="out-txt">"2. The MTA-STS TXT record"</h2>
            <p>"At " <code>{format!("_mta-sts.{}", g.domain)}</code> ". Change the id whenever the policy changes."</p>
            <pre class="code" tabindex="0" aria-label="MTA-STS TXT record"><code>{g.sts_txt.clone()}</code></pre>
            <CopyButton text=Signal::stored(g.sts_txt.clone()) label="Copy the TXT record"/>
            <button type="button" class="btn" on:click=move |_| now.set(dom::now_secs())>"New id"</button>
        </section>
        <section aria-labelledby="out-tlsrpt" class="output">
            <h2 id="out-tlsrpt">"3. The TLS-RPT record"</h2>
            <p>"At " <code>{format!("_smtp._tls.{}", g.domain)}</code> ", so that senders report delivery problems to you."</p>
            <pre class="code" tabindex="0" aria-label="TLS-RPT record"><code>{g.tlsrpt.clone()}</code></pre>
            <CopyButton text=Signal::stored(g.tlsrpt.clone()) label="Copy the TLS-RPT record"/>
        </section>
        <section aria-labelledby="out-zone" class="output">
            <h2 id="out-zone">"The records as zone-file lines"</h2>
            <pre class="code" tabindex="0" aria-label="Zone-file lines"><code>{g.zone.clone()}</code></pre>
            <CopyButton text=Signal::stored(g.zone.clone()) label="Copy the zone lines"/>
        </section>
    }
}

/// The rollout checklist, ending with a link to check the published result for `domain`.
fn checklist(domain: String) -> impl IntoView {
    view! {
        <section aria-labelledby="rollout" class="output">
            <h2 id="rollout">"Rollout checklist"</h2>
            <ol class="checklist">
                <li>"Publish the TLS-RPT record first, so that reports start arriving."</li>
                <li>"Serve the policy in " <strong>"testing"</strong> " mode with a short max_age, and publish the TXT record."</li>
                <li>"Read the TLS reports for a few weeks: every MX host covered, every certificate valid."</li>
                <li>"Switch to " <strong>"enforce"</strong> ", and " <strong>"bump the id"</strong> " in the TXT record so senders fetch the new policy."</li>
                <li>"Raise max_age to weeks or months once it is stable; bump the id on every later change."</li>
                <li><a href=format!("/?domain={}", domain)>"Check the published result"</a> "."</li>
            </ol>
        </section>
    }
}
