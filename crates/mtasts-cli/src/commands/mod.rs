//! One module per command; [`run`] dispatches. Each command prints its output (text or JSON) and
//! says what it found as a [`Status`]; the exit status is decided in [`crate::output::exit`].

mod assess;
mod check;
mod explain;
mod generate;
mod lint;
mod matching;
mod plan;
mod reports;
mod senders;
mod watch;

pub(crate) use lint::senders_table;

use crate::args::{Cli, Command, FailOn, Format, LintArgs, LintCommand, SendersCommand};
use crate::output::{color_enabled, Fatal, Status};
use crate::pipeline;
use crate::render::Renderer;

/// How a command writes: JSON or text, and the text renderer.
pub(crate) struct Out {
    pub(crate) json: bool,
    /// `--format jsonl`: JSON, one compact object a line (`json` is set too).
    pub(crate) lines: bool,
    pub(crate) text: Renderer,
    /// The format asked for.
    pub(crate) format: Format,
    /// What fails the run (`--fail-on`; `error` unless given).
    pub(crate) fail_on: FailOn,
    /// Where the web app is served (`--site`).
    pub(crate) site: String,
}

impl Out {
    /// Whether a pipeline format (SARIF, GitHub, JUnit) was asked for.
    pub(crate) fn pipeline(&self) -> bool {
        pipeline::is_pipeline(self.format)
    }

    /// Writes `targets` in the pipeline format asked for; `command` is `lint` or `check`.
    pub(crate) fn print_pipeline(
        &self,
        command: &str,
        targets: &[pipeline::Target],
    ) -> Result<(), Fatal> {
        let run = pipeline::Run {
            format: self.format,
            command,
            fail_on: self.fail_on,
            site: &self.site,
        };
        pipeline::print(&run, targets)
    }

    /// The status of findings under `--fail-on`.
    pub(crate) fn status_of(&self, findings: &[mtasts::Finding]) -> Status {
        Status::of(
            !findings
                .iter()
                .any(|f| pipeline::fails(self.fail_on, f.severity)),
        )
    }

    /// The status of a domain's verdict under `--fail-on`.
    pub(crate) fn verdict_status(&self, v: mtasts::Verdict) -> Status {
        use mtasts::Verdict;
        Status::of(match self.fail_on {
            FailOn::Error => v != Verdict::Fail,
            FailOn::Warning => !matches!(v, Verdict::Fail | Verdict::Warn),
            FailOn::Never => true,
        })
    }
}

/// Refuses the pipeline formats and `--fail-on` for the commands that have none.
fn check_options(cli: &Cli) -> Result<(), Fatal> {
    let findings_command = matches!(
        cli.command,
        Command::Lint(_) | Command::Check { .. } | Command::Assess { .. }
    );
    let senders = matches!(
        cli.command,
        Command::Lint(LintArgs {
            command: Some(
                LintCommand::Policy { senders: true, .. }
                    | LintCommand::StsTxt { senders: true, .. }
            ),
            ..
        })
    );
    if pipeline::is_pipeline(cli.format) && (!findings_command || senders) {
        return Err(Fatal(
            "--format sarif|github|junit is for `lint` (without --senders), `check` and `assess`"
                .into(),
        ));
    }
    if cli.fail_on.is_some() && !findings_command {
        return Err(Fatal(
            "--fail-on is for `lint`, `check` and `assess`".into(),
        ));
    }
    Ok(())
}

/// Runs the command `cli` names.
pub(crate) fn run(cli: Cli) -> Result<Status, Fatal> {
    if cli.format == Format::Csv && !matches!(cli.command, Command::Reports { .. }) {
        return Err(Fatal(
            "--format csv is for `mtasts reports`; use text or json".into(),
        ));
    }
    check_options(&cli)?;
    let csv = cli.format == Format::Csv;
    let out = Out {
        json: matches!(cli.format, Format::Json | Format::Jsonl),
        lines: cli.format == Format::Jsonl,
        text: Renderer::new(color_enabled()),
        format: cli.format,
        fail_on: cli.fail_on.unwrap_or(FailOn::Error),
        site: cli.site.clone(),
    };
    match cli.command {
        Command::Lint(LintArgs {
            command: None,
            paths,
        }) => lint::paths(&out, &paths),
        Command::Lint(LintArgs {
            command:
                Some(LintCommand::Policy {
                    file,
                    senders,
                    status,
                    content_type,
                }),
            ..
        }) => {
            let served = senders.then_some((status, content_type.as_str()));
            lint::policy(&out, &file, served)
        }
        Command::Lint(LintArgs {
            command: Some(LintCommand::StsTxt { records, senders }),
            ..
        }) => lint::sts_txt(&out, &records, senders),
        Command::Lint(LintArgs {
            command: Some(LintCommand::Tlsrpt { records }),
            ..
        }) => lint::tlsrpt(&out, &records),
        Command::Match {
            pattern,
            host,
            senders,
        } => matching::run(&out, &pattern, &host, senders),
        Command::Senders(SendersCommand::List) => senders::list(&out),
        Command::Senders(SendersCommand::Adapter { sender }) => senders::adapter(&sender),
        Command::Explain { code } => explain::run(&out, &code),
        Command::Generate {
            mx,
            mode,
            max_age,
            domain,
            rua,
        } => generate::run(&out, mx, mode.into(), max_age, domain, rua),
        Command::Check { domains, options } => check::run(&out, &domains, &options),
        Command::Diff { old, new } => watch::diff(&out, &old, &new),
        Command::Watch {
            state,
            domains,
            options,
        } => watch::run(&out, &state, &domains, &options),
        Command::Assess { evidence } => assess::run(&out, &evidence),
        Command::Plan {
            domain,
            evidence,
            move_to,
            enforce,
            retire,
            options,
        } => {
            let goal = if enforce {
                mtasts::plan::Goal::Enforce
            } else if retire {
                mtasts::plan::Goal::Retire
            } else if !move_to.is_empty() {
                mtasts::plan::Goal::MoveMx(move_to)
            } else {
                return Err(Fatal(
                    "say what to plan: --move-to HOST..., --enforce or --retire".into(),
                ));
            };
            plan::run(
                &out,
                domain.as_deref(),
                evidence.as_deref(),
                &goal,
                &options,
            )
        }
        Command::Reports { paths } => reports::run(&out, csv, &paths),
    }
}
