//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use mtasts::Mode;

use crate::net;

#[derive(Parser)]
#[command(
    name = "mtasts",
    version,
    about = "MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) checker and linter"
)]
pub(crate) struct Cli {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// When the exit status is 1 (`lint`, `check`, `assess`): `error` (the default: an error
    /// finding, a verdict `fail`), `warning` (warnings too, a verdict `warn`), `never` (findings
    /// are shown, not failed on; usage and I/O errors still exit 2).
    #[arg(long, global = true, value_enum)]
    pub(crate) fail_on: Option<FailOn>,
    /// Where the web app is served: SARIF's help links point at its `/codes/CODE` pages.
    #[arg(long, global = true, value_name = "URL", default_value = DEFAULT_SITE)]
    pub(crate) site: String,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// For people: compiler-style excerpts, colour on a terminal (NO_COLOR honoured).
    Text,
    /// For tools: a stable JSON document on stdout.
    Json,
    /// For spreadsheets (`reports` only): RFC 4180 rows.
    Csv,
    /// For pipelines: JSON, one compact object a line (`check` writes each domain as its check
    /// finishes, with the `input` it was given).
    Jsonl,
    /// For code scanning (`lint`, `check`, `assess`): SARIF 2.1.0.
    Sarif,
    /// For GitHub Actions (`lint`, `check`, `assess`): workflow commands that annotate the run.
    Github,
    /// For GitLab and Jenkins test reports (`lint`, `check`, `assess`): JUnit XML.
    Junit,
}

/// Where the SARIF help links point unless `--site` says otherwise.
pub(crate) const DEFAULT_SITE: &str = "https://mtasts.example";

/// The least severity that fails a run (`--fail-on`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub(crate) enum FailOn {
    /// Errors (a verdict `fail`).
    Error,
    /// Warnings and errors (a verdict `warn` or `fail`).
    Warning,
    /// Nothing: findings are only shown.
    Never,
}

/// `mtasts lint PATH...` or `mtasts lint policy|sts-txt|tlsrpt`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct LintArgs {
    #[command(subcommand)]
    pub(crate) command: Option<LintCommand>,
    /// Policy files and zone files (`*.zone`), and directories searched for `mta-sts.txt`,
    /// `*.mta-sts.txt` and `*.zone`.
    #[arg(required = true, num_args = 1.., value_name = "PATH")]
    pub(crate) paths: Vec<String>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Lint policy files and the MTA-STS/TLS-RPT TXT records of zone files (paths: files, and
    /// directories searched for `mta-sts.txt`, `*.mta-sts.txt` and `*.zone`), or one policy or
    /// TXT record set (`lint policy|sts-txt|tlsrpt`).
    Lint(LintArgs),
    /// Does policy pattern PATTERN match MX host HOST (RFC 8461 §4.1)?
    Match {
        /// A policy `mx` pattern, for example `*.example.com`.
        pattern: String,
        /// An MX host name, for example `mail.example.com`.
        host: String,
        /// Also say whether each real sender's matcher accepts it.
        #[arg(long)]
        senders: bool,
    },
    /// The sender models: how real sending implementations read MTA-STS.
    #[command(subcommand)]
    Senders(SendersCommand),
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
        /// Domains to check (`-`: a list on standard input, one a line).
        #[arg(required = true, num_args = 1..)]
        domains: Vec<String>,
        #[command(flatten)]
        options: CheckOptions,
    },
    /// The changes between two Evidence files (as `check --format json` or `/api/evidence` write
    /// them; `{evidence, report}` too). Exit status 0: nothing changed, 1: something did.
    Diff {
        /// The earlier observation.
        old: String,
        /// The later one.
        new: String,
    },
    /// Check domains, compare each with the last Evidence stored for it in DIR, store the new
    /// one (a check that could not be completed never replaces it) and print what changed.
    /// Exit status 0: nothing changed, 1: something did, 2: a domain could not be checked.
    Watch {
        /// Where the last Evidence of each domain is kept (`DOMAIN.json`; created if missing).
        #[arg(long, value_name = "DIR")]
        state: String,
        /// Domains to watch; `-` reads them from standard input, one a line (`#` comments).
        #[arg(required = true, num_args = 1..)]
        domains: Vec<String>,
        #[command(flatten)]
        options: CheckOptions,
    },
    /// Plan a change safely: new MX hosts, `enforce`, or retiring MTA-STS — the ordered steps
    /// with dates, from the live policy (its mode, max_age and mx lines) and MX hosts.
    Plan {
        /// The domain (checked live), unless --evidence gives a saved check.
        #[arg(required_unless_present = "evidence")]
        domain: Option<String>,
        /// Plan from this Evidence file instead of a live check (dates count from its time).
        #[arg(long, value_name = "FILE", conflicts_with = "domain")]
        evidence: Option<String>,
        /// Move mail to these MX hosts.
        #[arg(long, num_args = 1.., value_name = "HOST", group = "goal")]
        move_to: Vec<String>,
        /// Go from testing to enforce.
        #[arg(long, group = "goal")]
        enforce: bool,
        /// Switch MTA-STS off (RFC 8461 §8.3).
        #[arg(long, group = "goal")]
        retire: bool,
        #[command(flatten)]
        options: CheckOptions,
    },
    /// Read TLS-RPT aggregate reports (RFC 8460): `.json`, `.json.gz`, `.eml` and `.mbox` files,
    /// directories read recursively. Prints what to fix before `enforce`, failures by result type,
    /// MX host and sender, and a daily series. Nothing is sent anywhere.
    Reports {
        /// Files or directories (`-`: one file on stdin).
        #[arg(required = true, num_args = 1..)]
        paths: Vec<String>,
    },
    /// Assess an Evidence JSON file (as the Worker's /api/evidence returns) and print the report.
    Assess {
        /// Path to the evidence JSON, or `-` for stdin.
        evidence: String,
    },
}

/// How `check` and `watch` reach the domains.
#[derive(Args)]
pub(crate) struct CheckOptions {
    /// DNS-over-HTTPS endpoint (RFC 8484), an https URL.
    #[arg(long, default_value = net::DEFAULT_DOH)]
    pub(crate) doh: String,
    /// Accept an `http:` DoH endpoint (for test fixtures on loopback only: plain http can be
    /// spoofed).
    #[arg(long)]
    pub(crate) allow_http_doh: bool,
    /// Send connections for HOST to ADDR (`HOST:IP` or `HOST:IP:PORT`; `*` as HOST for every
    /// host checked, not the --doh resolver), like curl's --resolve. Needed to check a host that resolves to a private address.
    #[arg(long, value_name = "HOST:ADDR")]
    pub(crate) resolve: Vec<String>,
    /// Also trust the CA certificates in this PEM file (for test servers).
    #[arg(long, value_name = "FILE")]
    pub(crate) ca_file: Option<String>,
    /// Time-out of the policy fetch, in seconds.
    #[arg(long, default_value_t = 10)]
    pub(crate) timeout: u64,
    /// How many domains are checked at once (1 to 256). Without it, the number adapts: it
    /// grows while checks finish without time-outs and is halved when one times out.
    #[arg(long)]
    pub(crate) concurrency: Option<usize>,
    /// Allow names under .test (the fixture internet of the tests and the offline demo).
    #[arg(long)]
    pub(crate) allow_test_domains: bool,
    /// Also check each MX host's SMTP service: STARTTLS, the TLS version and the certificate
    /// (and DANE), on port 25 of every address (at most 10 hosts; no mail is sent).
    #[arg(long)]
    pub(crate) smtp: bool,
}

#[derive(Subcommand)]
pub(crate) enum LintCommand {
    /// Lint a policy file (`-` or nothing: stdin).
    Policy {
        /// Path to the policy file.
        #[arg(default_value = "-")]
        file: String,
        /// Also say how each real sender reads it, served with --status and --content-type.
        #[arg(long)]
        senders: bool,
        /// The HTTP status it is served with (for --senders).
        #[arg(long, default_value_t = 200, requires = "senders")]
        status: u16,
        /// The Content-Type it is served with (for --senders).
        #[arg(long, default_value = "text/plain", requires = "senders")]
        content_type: String,
    },
    /// Lint the `_mta-sts` TXT record set: each RECORD is one RR with its strings joined; all the
    /// RECORDs given are the whole set at that name.
    StsTxt {
        /// The records.
        #[arg(required = true, num_args = 1..)]
        records: Vec<String>,
        /// Also say how each real sender reads the set.
        #[arg(long)]
        senders: bool,
    },
    /// Lint the `_smtp._tls` TLS-RPT TXT record set (same conventions as sts-txt).
    Tlsrpt {
        /// The records.
        #[arg(required = true, num_args = 1..)]
        records: Vec<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum CliMode {
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

#[derive(Subcommand)]
pub(crate) enum SendersCommand {
    /// List the models: id, version, how each is known to be right, and its sources.
    List,
    /// Answer the conformance adapter protocol (tests/conformance/PROTOCOL.md) on stdin/stdout
    /// as one model does (`rfc`: RFC 8461 as mtasts reads it).
    Adapter {
        /// The sender id.
        sender: String,
    },
}
