//! `--format sarif`: a SARIF 2.1.0 log (OASIS), the object model of the `serde-sarif` crate.
//!
//! One run; its driver lists a rule per finding code (title, what it checks, the whole
//! documentation as help, a link to the code's `/codes/CODE` page, the default level). Each
//! finding is a result: a policy file's findings have physical locations (line, column in
//! Unicode code points, byte offsets, the span and its line as snippets), a record set's and a
//! domain's have logical locations naming the record or what was checked (`_mta-sts.DOMAIN
//! TXT`) and, for code scanning, a repository path `DOMAIN/mta-sts.txt` or `DOMAIN/SUBJECT`
//! (a policy finding with its line in the body fetched). Findings whose fix is
//! mechanical and safe (the byte-order mark, blank lines, leading whitespace, whitespace before
//! `:`, LF line endings) carry it as a SARIF fix. `partialFingerprints` hash the code, the file,
//! what the finding points at (its line's text, not its number) and how many times the same
//! occurred before it, so a result keeps its identity when lines are inserted above it.

use std::collections::BTreeMap;

use mtasts::finding::location::{lines, Ending, TextLine};
use mtasts::{Finding, Severity, Subject};
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Location, LogicalLocation, Message,
    MultiformatMessageString, PhysicalLocation, PropertyBag, Region, Replacement,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run as SRun,
    Sarif, Tool, ToolComponent,
};

use super::{subject_name, Run, Source, Target};
use crate::output::Fatal;

/// The key of our fingerprint in `partialFingerprints` (versioned: a new scheme, a new key).
pub(crate) const FINGERPRINT: &str = "mtasts/v1";

/// The SARIF log of `targets`, as pretty JSON.
pub(crate) fn log(run: &Run<'_>, targets: &[Target]) -> Result<String, Fatal> {
    let codes: Vec<mtasts::Code> = mtasts::codes::all().collect();
    let index: BTreeMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let rules: Vec<ReportingDescriptor> = codes.iter().map(|&c| rule(run.site, c)).collect();
    let mut results = vec![];
    for t in targets {
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        for f in &t.findings {
            let i = index.get(f.code.as_str()).copied();
            results.push(result(t, f, i, &mut seen));
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    let driver = ToolComponent::builder()
        .name("mtasts")
        .full_name(format!(
            "mtasts {version} (MTA-STS and TLS-RPT linter and checker)"
        ))
        .version(version)
        .semantic_version(version)
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(rules)
        .build();
    let run = SRun::builder()
        .tool(Tool::builder().driver(driver).build())
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .results(results)
        .build();
    let sarif = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut s = serde_json::to_string_pretty(&sarif)
        .map_err(|e| Fatal(format!("cannot write SARIF: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// The rule of a finding code, from its documentation.
fn rule(site: &str, code: mtasts::Code) -> ReportingDescriptor {
    let info = code.info();
    let plain = |s: &str| s.replace('`', "");
    let help_text = info
        .sections()
        .iter()
        .map(|(h, t)| format!("{h}: {}", plain(t)))
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut props = BTreeMap::new();
    props.insert(
        "problem.severity".to_owned(),
        serde_json::json!(match info.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "recommendation",
        }),
    );
    props.insert(
        "priority".to_owned(),
        serde_json::json!(info.priority.as_str()),
    );
    props.insert("rfc".to_owned(), serde_json::json!(info.rfc));
    let tag = if info.code.starts_with("tlsrpt") {
        "tls-rpt"
    } else {
        "mta-sts"
    };
    ReportingDescriptor {
        id: info.code.into(),
        name: Some(pascal(info.code)),
        short_description: Some(text(info.title)),
        full_description: Some(text(&plain(info.what))),
        deprecated_guids: None,
        deprecated_ids: None,
        deprecated_names: None,
        guid: None,
        message_strings: None,
        relationships: None,
        help: Some(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(info.markdown())
                .build(),
        ),
        help_uri: Some(format!(
            "{}/codes/{}",
            site.trim_end_matches('/'),
            info.code
        )),
        default_configuration: Some(ReportingConfiguration {
            level: Some(serde_json::json!(level(info.severity))),
            ..Default::default()
        }),
        properties: Some(PropertyBag {
            tags: Some(vec![tag.into()]),
            additional_properties: props,
        }),
    }
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

/// `policy-mode-invalid` → `PolicyModeInvalid` (SARIF rule names are identifiers).
fn pascal(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result_level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// One finding's result; `seen` counts the fingerprints already given in this target.
fn result(
    t: &Target,
    f: &Finding,
    rule_index: Option<usize>,
    seen: &mut BTreeMap<String, u32>,
) -> SarifResult {
    let mut message = f.message.to_string();
    if let Some(fix) = &f.fix {
        message.push_str(&format!(" Fix: {fix}."));
    }
    let anchor = anchor(t, f);
    let key = format!("{}\u{0}{}\u{0}{anchor}", f.code, subject_name(f.subject));
    let n = seen.entry(key.clone()).or_insert(0);
    *n += 1;
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        FINGERPRINT.to_owned(),
        digest(&format!("{}\u{0}{key}\u{0}{n}", t.identity())),
    );
    let fixes = match &t.source {
        Source::File(bytes) => safe_fix(bytes, f).map(|replacements| {
            let change = ArtifactChange::builder()
                .artifact_location(artifact(&t.name))
                .replacements(replacements)
                .build();
            vec![Fix::builder()
                .description(plain_message(f.fix.as_deref().unwrap_or("apply the fix")))
                .artifact_changes(vec![change])
                .build()]
        }),
        _ => None,
    };
    let mut r = SarifResult::builder()
        .rule_id(f.code.as_str())
        .level(result_level(f.severity))
        .message(plain_message(&message))
        .locations(vec![location(t, f)])
        .partial_fingerprints(fingerprints)
        .build();
    r.rule_index = rule_index.and_then(|i| i64::try_from(i).ok());
    r.fixes = fixes;
    r
}

fn plain_message(s: &str) -> Message {
    Message {
        text: Some(s.into()),
        ..Default::default()
    }
}

/// What a finding points at, independent of where it is: the text of its line (or record)
/// and of its span; nothing for a finding about the whole text.
fn anchor(t: &Target, f: &Finding) -> String {
    let (Some(line), Some(text)) = (f.line, t.span_text(f)) else {
        return String::new();
    };
    let lines = t.lines();
    let line_text = lines
        .get((line as usize).wrapping_sub(1))
        .map_or("", String::as_str);
    let span = f.span.map_or(String::new(), |s| {
        let (a, b) = (s.start.min(text.len()), s.end.min(text.len()));
        String::from_utf8_lossy(&text[a..b.max(a)]).into_owned()
    });
    format!("{}\u{0}{span}", line_text.trim())
}

/// The first 32 hex digits of the SHA-256 of `s`.
fn digest(s: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, s.as_bytes());
    d.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file's location: a relative path under `%SRCROOT%` (the repository), percent-encoded.
fn artifact(path: &str) -> ArtifactLocation {
    let p = path.trim_start_matches("./");
    if p.starts_with('/') {
        return ArtifactLocation {
            uri: Some(format!("file://{}", encode(p))),
            ..Default::default()
        };
    }
    ArtifactLocation {
        uri: Some(encode(p)),
        uri_base_id: Some("%SRCROOT%".into()),
        ..Default::default()
    }
}

/// `s` as a URI path: every byte but the unreserved ones and `/` percent-encoded.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where the finding is: the file region, or the record or domain as a logical location.
fn location(t: &Target, f: &Finding) -> Location {
    match &t.source {
        Source::File(bytes) => Location {
            physical_location: Some(PhysicalLocation {
                artifact_location: Some(artifact(&t.name)),
                ..regions(bytes, f)
            }),
            ..Default::default()
        },
        Source::Zone { .. } => {
            let (line, name) = t.zone_record(f).unwrap_or((None, t.name.clone()));
            Location {
                physical_location: Some(PhysicalLocation {
                    artifact_location: Some(artifact(&t.name)),
                    region: Some(Region {
                        start_line: Some(i64::from(line.unwrap_or(1))),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                logical_locations: Some(vec![LogicalLocation {
                    name: Some(name.clone()),
                    fully_qualified_name: Some(format!("{}/{name}", t.name)),
                    kind: Some("element".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }
        }
        Source::Records(_) => {
            let at = f.line.map_or(String::new(), |n| format!("record {n}"));
            Location {
                logical_locations: Some(vec![LogicalLocation {
                    name: Some(if at.is_empty() {
                        t.name.clone()
                    } else {
                        at.clone()
                    }),
                    fully_qualified_name: Some(format!("{} {at}", t.name).trim().to_owned()),
                    kind: Some("element".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }
        }
        Source::Domain { policy } => {
            let what = t.published_at(f.subject);
            // Code scanning takes only repository paths (an `https:` URI fails the upload): a
            // domain's findings are placed at `DOMAIN/mta-sts.txt` (the policy, with its lines)
            // or `DOMAIN/SUBJECT`, paths that need not exist.
            let (path, body) = match f.subject {
                Subject::Policy | Subject::Fetch => {
                    (format!("{}/mta-sts.txt", t.name), policy.as_deref())
                }
                s => (format!("{}/{}", t.name, subject_name(s)), None),
            };
            let regions = match body {
                Some(b) if f.subject == Subject::Policy => regions(b, f),
                _ => regions(&[], f),
            };
            Location {
                physical_location: Some(PhysicalLocation {
                    artifact_location: Some(artifact(&path)),
                    ..regions
                }),
                logical_locations: Some(vec![LogicalLocation {
                    name: Some(what.clone()),
                    fully_qualified_name: Some(format!("{}/{what}", t.name)),
                    kind: Some("resource".into()),
                    ..Default::default()
                }]),
                ..Default::default()
            }
        }
    }
}

/// The region of `f` in `bytes` and its line as the context region (no artifact yet).
fn regions(bytes: &[u8], f: &Finding) -> PhysicalLocation {
    // A finding about the whole file is shown at its first line (code scanning needs a line).
    let whole = PhysicalLocation {
        region: Some(Region {
            start_line: Some(1),
            ..Default::default()
        }),
        ..Default::default()
    };
    let (Some(n), Some(span)) = (f.line, f.span) else {
        return whole;
    };
    let Some(mut l) = policy_lines(bytes).find(|l| l.number == n) else {
        return whole;
    };
    // The byte-order mark is before the first line; its finding points at it.
    l.start = l.start.min(span.start);
    let content = l.content(bytes);
    let start = span.start.clamp(l.start, l.end);
    let end = span.end.clamp(start, l.end);
    let col = |at: usize| chars(&bytes[l.start..at]) + 1;
    let line = i64::from(n);
    let snippet = |a: usize, b: usize| {
        (b > a).then(|| ArtifactContent {
            text: Some(String::from_utf8_lossy(&bytes[a..b]).into_owned()),
            ..Default::default()
        })
    };
    PhysicalLocation {
        region: Some(Region {
            start_line: Some(line),
            start_column: Some(col(start)),
            end_line: Some(line),
            end_column: Some(col(end)),
            byte_offset: Some(start as i64),
            byte_length: Some((end - start) as i64),
            snippet: snippet(start, end),
            ..Default::default()
        }),
        // A context region must be larger than the region (SARIF §3.29.5).
        context_region: (l.start < start || end < l.end).then(|| Region {
            start_line: Some(line),
            start_column: Some(1),
            end_line: Some(line),
            end_column: Some(chars(content) + 1),
            byte_offset: Some(l.start as i64),
            byte_length: Some((l.end - l.start) as i64),
            snippet: snippet(l.start, l.end),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The lines of a policy file as the linter numbers them: after a byte-order mark, offsets
/// into the whole file.
fn policy_lines(bytes: &[u8]) -> impl Iterator<Item = TextLine> + '_ {
    let base = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    lines(&bytes[base..]).map(move |mut l| {
        l.start += base;
        l.end += base;
        l
    })
}

/// Characters in `b` as the crate counts columns (UTF-8; an invalid byte counts one).
fn chars(b: &[u8]) -> i64 {
    let mut n = 0i64;
    for chunk in b.utf8_chunks() {
        n += chunk.valid().chars().count() as i64 + chunk.invalid().len() as i64;
    }
    n
}

/// The replacements of a finding's safe fix-it, when it has one: deletions of the bytes the
/// finding points at, or a CR before every LF that ends a line alone.
fn safe_fix(bytes: &[u8], f: &Finding) -> Option<Vec<Replacement>> {
    use mtasts::records::policy::{
        BLANK_LINE, BOM, INDENTED, LF_LINE_ENDINGS, MIXED_LINE_ENDINGS, SPACE_BEFORE_COLON,
    };
    let region = |start: usize, end: usize| Region {
        byte_offset: Some(start as i64),
        byte_length: Some(end.saturating_sub(start) as i64),
        ..Default::default()
    };
    let delete = |start: usize, end: usize| {
        Replacement::builder()
            .deleted_region(region(start, end))
            .build()
    };
    let code = f.code;
    if code == BOM || code == INDENTED || code == SPACE_BEFORE_COLON {
        let s = f.span?;
        return (s.end > s.start && s.end <= bytes.len()).then(|| vec![delete(s.start, s.end)]);
    }
    if code == BLANK_LINE {
        let l = policy_lines(bytes).find(|l| Some(l.number) == f.line && l.start == l.end)?;
        return (l.ending != Ending::None).then(|| vec![delete(l.start, l.next())]);
    }
    if code == LF_LINE_ENDINGS || code == MIXED_LINE_ENDINGS {
        let v: Vec<Replacement> = policy_lines(bytes)
            .filter(|l| l.ending == Ending::Lf)
            .map(|l| {
                Replacement::builder()
                    .deleted_region(region(l.end, l.end))
                    .inserted_content(ArtifactContent {
                        text: Some("\r".into()),
                        ..Default::default()
                    })
                    .build()
            })
            .collect();
        return (!v.is_empty()).then_some(v);
    }
    None
}
