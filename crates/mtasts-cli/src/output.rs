//! What every command shares: reading input, writing JSON, colour, and the exit status, decided
//! here and nowhere else: 0 when everything is valid (or matches), 1 when the input has a problem
//! (invalid, no match, verdict `fail`), 2 for usage and I/O errors.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

/// The largest input read from a file or stdin: far beyond any policy, small enough never to hang.
const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// What a command found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Valid, matches, or not failing: exit 0.
    Clean,
    /// Invalid, no match, or a verdict `fail`: exit 1.
    Problem,
}

impl Status {
    /// `Clean` when `ok`.
    pub(crate) fn of(ok: bool) -> Self {
        if ok {
            Status::Clean
        } else {
            Status::Problem
        }
    }
}

/// An error that ends the program with status 2.
pub(crate) struct Fatal(pub(crate) String);

/// The exit status of a command's outcome (printing the error of a fatal one).
pub(crate) fn exit(outcome: Result<Status, Fatal>) -> ExitCode {
    let code = match outcome {
        Ok(Status::Clean) => ExitCode::SUCCESS,
        Ok(Status::Problem) => ExitCode::from(1),
        Err(Fatal(msg)) => {
            // The message may echo input (a path, an argument, a JSON parser's excerpt).
            let _ = writeln!(
                std::io::stderr(),
                "mtasts: error: {}",
                crate::render::safe(&msg)
            );
            ExitCode::from(2)
        }
    };
    let _ = std::io::stdout().flush();
    code
}

pub(crate) fn read_input(path: &str) -> Result<Vec<u8>, Fatal> {
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

/// An Evidence file: the Evidence itself, or `{evidence, report}` as `check --format json`
/// writes for one domain (the report is judged again).
pub(crate) fn read_evidence(path: &str) -> Result<mtasts::Evidence, Fatal> {
    let bytes = read_input(path)?;
    let what = || crate::render::safe(path);
    let mut value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| Fatal(format!("{} is not Evidence JSON (not JSON: {e})", what())))?;
    if let Some(inner) = value.get_mut("evidence").filter(|v| v.is_object()) {
        value = inner.take();
    }
    serde_json::from_value(value)
        .map_err(|e| Fatal(format!("{} is not Evidence JSON: {e}", what())))
}

pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> Result<(), Fatal> {
    let s =
        serde_json::to_string_pretty(v).map_err(|e| Fatal(format!("cannot write JSON: {e}")))?;
    println!("{s}");
    Ok(())
}

pub(crate) fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// `text` indented by four spaces.
pub(crate) fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
