//! `mtasts`: lint MTA-STS policies and records, match MX patterns, explain finding codes,
//! generate records, and assess evidence gathered for a domain.
//!
//! Exit status: 0 valid / matches, 1 invalid / no match (for `assess`: verdict `fail`),
//! 2 usage or I/O error.

mod net;
mod render;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mtasts::api::Checked;
use mtasts::{Evidence, GenerateInput, Mode, Verdict};

/// The largest input read from a file or stdin: far beyond any policy, small enough never to hang.
const MAX_INPUT: u64 = 16 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "mtasts",
    version,
    about = "MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) checker and linter"
)]
struct Cli {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people: compiler-style excerpts, colour on a terminal (NO_COLOR honoured).
    Text,
    /// For tools: a stable JSON document on stdout.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Lint a policy file or TXT records before publishing them.
    #[command(subcommand)]
    Lint(LintCommand),
    /// Does policy pattern PATTERN match MX host HOST (RFC 8461 §4.1)?
    Match {
        /// A policy `mx` pattern, for example `*.example.com`.
        pattern: String,
        /// An MX host name, for example `mail.example.com`.
        host: String,
    },
    /// Show the documentation of a finding code.
    Explain {
        /// The code, for example `policy-max-age-too-large`; `all` lists every code.
        code: String,
    },
    /// Generate a policy file, its `_mta-sts` TXT record and a TLS-RPT record.
    Generate {
        /// MX host names (repeat, or several after one flag).
        #[arg(long, required = true, num_args = 1..)]
        mx: Vec<String>,
        /// Policy mode: start with testing.
        #[arg(long, value_enum, default_value_t = CliMode::Testing)]
        mode: CliMode,
        /// Cache lifetime in seconds (at most 31557600).
        #[arg(long, default_value_t = 604_800)]
        max_age: u64,
        /// The domain (default: the parent of the first MX host).
        #[arg(long, default_value = "")]
        domain: String,
        /// Where TLS reports go (default: mailto:tls-reports@DOMAIN).
        #[arg(long, default_value = "")]
        rua: String,
    },
    /// Check live domains: DNS over HTTPS and the HTTPS policy fetch, then the same assessment as
    /// the web page. Accepts what people paste (URLs, e-mail addresses, IDNs).
    Check {
        /// Domains to check.
        #[arg(required = true, num_args = 1..)]
        domains: Vec<String>,
        /// DNS-over-HTTPS endpoint (RFC 8484).
        #[arg(long, default_value = net::DEFAULT_DOH)]
        doh: String,
        /// Send connections for HOST to ADDR (`HOST:IP` or `HOST:IP:PORT`), like curl's --resolve.
        #[arg(long, value_name = "HOST:ADDR")]
        resolve: Vec<String>,
        /// Also trust the CA certificates in this PEM file (for test servers).
        #[arg(long, value_name = "FILE")]
        ca_file: Option<String>,
        /// Time-out of the policy fetch, in seconds.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// How many domains are checked at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Allow names under .test (the fixture internet of the tests and the offline demo).
        #[arg(long)]
        allow_test_domains: bool,
    },
    /// Assess an Evidence JSON file (as the Worker's /api/evidence returns) and print the report.
    Assess {
        /// Path to the evidence JSON, or `-` for stdin.
        evidence: String,
    },
}

#[derive(Subcommand)]
enum LintCommand {
    /// Lint a policy file (`-` or nothing: stdin).
    Policy {
        /// Path to the policy file.
        #[arg(default_value = "-")]
        file: String,
    },
    /// Lint the `_mta-sts` TXT record set: each RECORD is one RR with its strings joined; all the
    /// RECORDs given are the whole set at that name.
    StsTxt {
        /// The records.
        #[arg(required = true, num_args = 1..)]
        records: Vec<String>,
    },
    /// Lint the `_smtp._tls` TLS-RPT TXT record set (same conventions as sts-txt).
    Tlsrpt {
        /// The records.
        #[arg(required = true, num_args = 1..)]
        records: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum CliMode {
    Testing,
    Enforce,
    None,
}

impl From<CliMode> for Mode {
    fn from(m: CliMode) -> Mode {
        match m {
            CliMode::Testing => Mode::Testing,
            CliMode::Enforce => Mode::Enforce,
            CliMode::None => Mode::None,
        }
    }
}

/// An error that ends the program with status 2.
struct Fatal(String);

fn read_input(path: &str) -> Result<Vec<u8>, Fatal> {
    let mut buf = Vec::new();
    let what = if path == "-" {
        "standard input".to_owned()
    } else {
        path.to_owned()
    };
    let res = if path == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT + 1).read_to_end(&mut buf))
    };
    res.map_err(|e| Fatal(format!("cannot read {what}: {e}")))?;
    if buf.len() as u64 > MAX_INPUT {
        return Err(Fatal(format!(
            "{what} is larger than {} MiB; an MTA-STS policy is a few hundred bytes",
            MAX_INPUT >> 20
        )));
    }
    Ok(buf)
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), Fatal> {
    let s =
        serde_json::to_string_pretty(v).map_err(|e| Fatal(format!("cannot write JSON: {e}")))?;
    println!("{s}");
    Ok(())
}

fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn run(cli: Cli) -> Result<bool, Fatal> {
    let json = cli.format == Format::Json;
    let r = render::Renderer::new(color_enabled());
    match cli.command {
        Command::Lint(LintCommand::Policy { file }) => {
            let bytes = read_input(&file)?;
            let res = mtasts::lint_policy(&bytes);
            if json {
                print_json(&res)?;
            } else {
                let name = if file == "-" { "<stdin>" } else { &file };
                let lines = render::source_lines(&bytes);
                print!(
                    "{}",
                    r.findings(name, &res.findings, &|n| {
                        lines.get(n.wrapping_sub(1)).map(String::as_str)
                    })
                );
                print!("{}", r.lint_summary(name, res.valid, &res.findings));
            }
            Ok(res.valid)
        }
        Command::Lint(LintCommand::StsTxt { records }) => {
            let res = mtasts::lint_sts_txt(&records);
            let parsed = res.parsed.iter().map(|p| format!("id: {}", p.id)).collect();
            print_record_lint(&r, json, "_mta-sts TXT", &records, &res, parsed)?;
            Ok(res.valid)
        }
        Command::Lint(LintCommand::Tlsrpt { records }) => {
            let res = mtasts::lint_tlsrpt(&records);
            let parsed = res
                .parsed
                .iter()
                .flat_map(|p| p.rua.iter().map(|u| format!("rua: {u}")))
                .collect();
            print_record_lint(&r, json, "_smtp._tls TXT", &records, &res, parsed)?;
            Ok(res.valid)
        }
        Command::Match { pattern, host } => {
            let matches = mtasts::mx_matches(&pattern, &host);
            let pattern_error = mtasts::check_pattern(&pattern).err().map(|e| e.to_string());
            if json {
                print_json(&serde_json::json!({
                    "matches": matches,
                    "pattern": pattern,
                    "host": host,
                    "pattern_error": pattern_error,
                }))?;
            } else {
                println!(
                    "{}",
                    if matches {
                        format!("`{pattern}` matches `{host}`")
                    } else {
                        format!("`{pattern}` does not match `{host}`")
                    }
                );
                if let Some(e) = pattern_error {
                    println!("note: `{pattern}` is not a valid policy pattern: {e}");
                }
            }
            Ok(matches)
        }
        Command::Explain { code } => {
            if code == "all" {
                let all: Vec<_> = mtasts::codes::all().collect();
                if json {
                    print_json(&all.iter().map(|c| code_json(c.info())).collect::<Vec<_>>())?;
                } else {
                    for c in all {
                        let i = c.info();
                        println!("{:<28} {:<8} {}", i.code, i.severity.as_str(), i.title);
                    }
                }
                return Ok(true);
            }
            let Some(info) = mtasts::codes::lookup(&code) else {
                return Err(Fatal(format!(
                    "unknown code `{code}`; `mtasts explain all` lists every code"
                )));
            };
            if json {
                print_json(&code_json(info))?;
            } else {
                println!(
                    "{} ({}, default {} priority) — {}\n",
                    info.code,
                    info.severity.as_str(),
                    info.priority.as_str(),
                    info.title
                );
                println!("{}", info.markdown().trim_end());
                for (label, example) in [("Produces it", &info.bad), ("Does not", &info.good)] {
                    let (what, text) = example.describe();
                    println!("\n{label} ({what}):\n{}", indent(&text));
                }
            }
            Ok(true)
        }
        Command::Generate {
            mx,
            mode,
            max_age,
            domain,
            rua,
        } => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let g = mtasts::generate(&GenerateInput {
                mx,
                mode: mode.into(),
                max_age,
                now,
                domain,
                rua,
            })
            .map_err(|e| Fatal(e.to_string()))?;
            if json {
                print_json(&g)?;
            } else {
                println!(
                    "# https://mta-sts.{}/.well-known/mta-sts.txt (serve as text/plain)",
                    g.domain
                );
                print!("{}", g.policy.replace("\r\n", "\n"));
                println!("\n# DNS records");
                print!("{}", g.zone);
            }
            Ok(true)
        }
        Command::Check {
            domains,
            doh,
            resolve,
            ca_file,
            timeout,
            concurrency,
            allow_test_domains,
        } => {
            let resolve = resolve
                .iter()
                .map(|r| net::parse_resolve(r))
                .collect::<Result<Vec<_>, _>>()
                .map_err(Fatal)?;
            let transport = net::Native::new(
                &doh,
                resolve,
                ca_file.as_deref(),
                std::time::Duration::from_secs(timeout.max(1)),
            )
            .map_err(Fatal)?;
            let rules = mtasts::InputRules {
                allow_test: allow_test_domains,
            };
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Fatal(format!("cannot start: {e}")))?;
            let results = rt.block_on(check_all(&transport, &domains, rules, concurrency.max(1)));
            let mut all_ok = true;
            let mut bad_input = false;
            let mut json_out = Vec::new();
            for (input, res) in domains.iter().zip(results) {
                match res {
                    Ok(checked) => {
                        all_ok &= checked.report.verdict != Verdict::Fail;
                        if json {
                            json_out.push(
                                serde_json::to_value(&checked).map_err(|e| Fatal(e.to_string()))?,
                            );
                        } else {
                            println!("{}", r.report(&checked.report, &checked.evidence));
                        }
                    }
                    Err(e) => {
                        bad_input = true;
                        if json {
                            json_out.push(serde_json::json!({"input": input, "error": {"code": "bad-input", "message": e.to_string()}}));
                        } else {
                            eprintln!("mtasts: {}: {e}", render::safe(input));
                        }
                    }
                }
            }
            if json {
                if json_out.len() == 1 {
                    print_json(&json_out[0])?;
                } else {
                    print_json(&json_out)?;
                }
            }
            if bad_input {
                return Err(Fatal(
                    "some inputs are not domains that can be checked".into(),
                ));
            }
            Ok(all_ok)
        }
        Command::Assess { evidence } => {
            let bytes = read_input(&evidence)?;
            let ev: Evidence = serde_json::from_slice(&bytes)
                .map_err(|e| Fatal(format!("{evidence} is not Evidence JSON: {e}")))?;
            let report = mtasts::assess(&ev);
            if json {
                print_json(&report)?;
            } else {
                print!("{}", r.report(&report, &ev));
            }
            Ok(report.verdict != Verdict::Fail)
        }
    }
}

/// Prints a record-set lint: JSON, or findings with excerpts, a summary and `parsed` lines.
fn print_record_lint<T: serde::Serialize>(
    r: &render::Renderer,
    json: bool,
    name: &str,
    records: &[String],
    res: &mtasts::LintResult<T>,
    parsed: Vec<String>,
) -> Result<(), Fatal> {
    if json {
        return print_json(res);
    }
    print!(
        "{}",
        r.findings("record", &res.findings, &|n| records
            .get(n - 1)
            .map(String::as_str))
    );
    print!("{}", r.lint_summary(name, res.valid, &res.findings));
    for line in parsed {
        println!("{}", render::safe(&line));
    }
    Ok(())
}

/// Checks every domain, at most `concurrency` at once, in input order.
async fn check_all(
    t: &net::Native,
    domains: &[String],
    rules: mtasts::InputRules,
    concurrency: usize,
) -> Vec<Result<Checked, mtasts::InputError>> {
    use futures::StreamExt as _;
    futures::stream::iter(domains.iter().map(|d| async move {
        let domain = mtasts::normalize_domain(d, rules)?;
        Ok(Checked::assess(mtasts::gather(t, &domain).await))
    }))
    .buffered(concurrency)
    .collect()
    .await
}

fn code_json(c: &mtasts::CodeInfo) -> serde_json::Value {
    serde_json::json!({
        "code": c.code,
        "title": c.title,
        "severity": c.severity,
        "priority": c.priority,
        "rfc": c.rfc,
        "doc": c.markdown(),
        "what": c.what,
        "why": c.why,
        "example": c.example,
        "fix": c.fix,
        "bad": example_json(&c.bad),
        "good": example_json(&c.good),
    })
}

fn example_json(e: &mtasts::Example) -> serde_json::Value {
    let (kind, text) = e.describe();
    serde_json::json!({"kind": kind, "text": text})
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Fatal(msg)) => {
            let _ = writeln!(std::io::stderr(), "mtasts: error: {msg}");
            ExitCode::from(2)
        }
    };
    let _ = std::io::stdout().flush();
    code
}
