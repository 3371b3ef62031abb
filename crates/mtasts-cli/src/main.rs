//! `mtasts`: lint MTA-STS policies and records, match MX patterns, explain finding codes,
//! generate records, check live domains, and assess evidence gathered for a domain.
//!
//! Layout: `args` (the command line), `commands/` (one module per command), `output` (input,
//! JSON, colour, and the exit status: 0 valid / matches, 1 invalid / no match / verdict `fail`,
//! 2 usage or I/O error), `render` (text for people), `pipeline` (SARIF, GitHub workflow
//! commands, JUnit), `net` (the native transport).

mod args;
mod commands;
mod net;
mod output;
mod pipeline;
mod progress;
mod render;
mod smtp;
mod zone;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: many small strings (findings, names) are allocated and freed; measured, the lint
/// throughput of `scripts/bench-lint.sh` is about 40 % higher than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match args::Cli::try_parse() {
        Ok(cli) => output::exit(commands::run(cli)),
        Err(e) => {
            // clap's messages quote the arguments: escaped like every other echoed input.
            let text = render::safe_lines(&e.render().to_string());
            if e.use_stderr() {
                eprint!("{text}");
                ExitCode::from(2)
            } else {
                print!("{text}");
                ExitCode::SUCCESS
            }
        }
    }
}
