//! The shape of a sender model: what it is given ([`Response`], a TXT record set, a pattern and
//! a host) and what it answers ([`TxtRead`], [`PolicyRead`], a match), and [`Model`] itself.
//! Imports no model, so the models import it and [`super`] lists them without a circle.

use serde::{Deserialize, Serialize};

/// The policy response a sender got for `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
/// Redirects are never followed by the fetcher: a 3xx arrives here as it is, with its body.
#[derive(Clone, Copy, Debug)]
pub struct Response<'a> {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header's value as sent (parameters included), if any.
    pub content_type: Option<&'a str>,
    /// The body bytes.
    pub body: &'a [u8],
}

/// A policy as one sender reads it: what it will apply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadPolicy {
    /// The mode it applies, lower-case: `enforce`, `testing` or `none`.
    pub mode: String,
    /// The `max_age` it reads, in seconds (before any clamping of its cache).
    pub max_age: u64,
    /// The `mx` patterns it keeps, in order, as it will match them.
    pub mx: Vec<String>,
}

/// What a sender makes of a policy response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyRead {
    /// It applies this policy.
    Policy(ReadPolicy),
    /// It sees no policy (and delivers as if the domain had none), for this reason.
    NoPolicy(String),
}

/// What a sender makes of the `_mta-sts` TXT record set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxtRead {
    /// It sees a policy with this `id`, and fetches it.
    Policy {
        /// The `id` it reads.
        id: String,
    },
    /// It sees no policy, for this reason.
    NoPolicy(String),
}

/// How a model is known to be right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Read from source, and proven in the test suite against the real code, which installs from
    /// the named registry package.
    Run(&'static str),
    /// Read from the published source at the version given; it cannot be built here, so the
    /// model's unit tables are its proof.
    Source,
    /// Only what the operator documents (no source is published); cited, never guessed.
    Documented,
}

/// One sending implementation at one version.
pub struct Model {
    /// Stable id (`postfix-mta-sts-resolver`, `mox`, ...), used in the CLI and JSON.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// The version modelled.
    pub version: &'static str,
    /// How the model is known to be right.
    pub basis: Basis,
    /// Where it was read from: repository, path and version, or documentation URL (with the
    /// crate's `docs` feature: the web app's pages do not show it).
    #[cfg(feature = "docs")]
    pub sources: &'static [&'static str],
    /// In plain words: what it does in `testing` and when the fetch fails (`docs` feature).
    #[cfg(feature = "docs")]
    pub notes: &'static str,
    /// Reads the `_mta-sts` TXT record set (each record's strings already joined).
    pub txt: fn(&[&str]) -> TxtRead,
    /// Reads a policy response.
    pub policy: fn(&Response<'_>) -> PolicyRead,
    /// Does an `mx` pattern of its reading cover this MX host name?
    pub matches: fn(&str, &str) -> bool,
}

/// What the models' unit tables share.
#[cfg(test)]
pub(crate) mod tables {
    use super::{PolicyRead, ReadPolicy, Response};

    /// The reading of a policy with this mode, max_age and mx patterns.
    pub(crate) fn reading(mode: &str, max_age: u64, mx: &[&str]) -> PolicyRead {
        PolicyRead::Policy(ReadPolicy {
            mode: mode.into(),
            max_age,
            mx: mx.iter().map(|s| (*s).to_owned()).collect(),
        })
    }

    /// [`reading`], as a table's expected value.
    pub(crate) fn read_ok(mode: &str, max_age: u64, mx: &[&str]) -> Option<PolicyRead> {
        Some(reading(mode, max_age, mx))
    }

    /// Each body served 200 `text/plain` to `policy`: `Some(reading)` must be read exactly,
    /// `None` refused (any reason).
    pub(crate) fn check_bodies(
        policy: fn(&Response<'_>) -> PolicyRead,
        cases: &[(&str, Option<PolicyRead>)],
    ) {
        for (body, want) in cases {
            let got = policy(&Response {
                status: 200,
                content_type: Some("text/plain"),
                body: body.as_bytes(),
            });
            match want {
                Some(w) => assert_eq!(&got, w, "body {body:?}"),
                None => assert!(
                    matches!(got, PolicyRead::NoPolicy(_)),
                    "body {body:?}: {got:?}"
                ),
            }
        }
    }
}
