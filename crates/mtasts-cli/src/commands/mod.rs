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

use crate::args::{Cli, Command, Format, LintCommand, SendersCommand};
use crate::output::{color_enabled, Fatal, Status};
use crate::render::Renderer;

/// How a command writes: JSON or text, and the text renderer.
pub(crate) struct Out {
    pub(crate) json: bool,
    /// `--format jsonl`: JSON, one compact object a line (`json` is set too).
    pub(crate) lines: bool,
    pub(crate) text: Renderer,
}

/// Runs the command `cli` names.
pub(crate) fn run(cli: Cli) -> Result<Status, Fatal> {
    if cli.format == Format::Csv && !matches!(cli.command, Command::Reports { .. }) {
        return Err(Fatal(
            "--format csv is for `mtasts reports`; use text or json".into(),
        ));
    }
    let csv = cli.format == Format::Csv;
    let out = Out {
        json: matches!(cli.format, Format::Json | Format::Jsonl),
        lines: cli.format == Format::Jsonl,
        text: Renderer::new(color_enabled()),
    };
    match cli.command {
        Command::Lint(LintCommand::Policy {
            file,
            senders,
            status,
            content_type,
        }) => {
            let served = senders.then_some((status, content_type.as_str()));
            lint::policy(&out, &file, served)
        }
        Command::Lint(LintCommand::StsTxt { records, senders }) => {
            lint::sts_txt(&out, &records, senders)
        }
        Command::Lint(LintCommand::Tlsrpt { records }) => lint::tlsrpt(&out, &records),
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
