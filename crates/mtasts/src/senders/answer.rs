//! Each sender's raw answer, as the CLI's `--senders` JSON and the conformance adapter protocol
//! (`tests/conformance/PROTOCOL.md`) write it.

use base64::Engine as _;
use serde::Serialize;
use serde_json::{json, Value};

use super::{Model, PolicyRead, ReadPolicy, Response, TxtRead, SENDERS};

/// One sender's reading of a policy response.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyAnswer {
    /// Sender id.
    pub sender: &'static str,
    /// Version modelled.
    pub version: &'static str,
    /// `policy` or `no-policy`.
    pub outcome: &'static str,
    /// What it applies, or `null`.
    pub policy: Option<ReadPolicy>,
    /// Why it sees no policy, or `null`.
    pub reason: Option<String>,
}

/// One sender's reading of a `_mta-sts` TXT record set.
#[derive(Clone, Debug, Serialize)]
pub struct TxtAnswer {
    /// Sender id.
    pub sender: &'static str,
    /// Version modelled.
    pub version: &'static str,
    /// `policy` or `no-policy`.
    pub outcome: &'static str,
    /// The `id` it reads, or `null`.
    pub id: Option<String>,
    /// Why it sees no policy, or `null`.
    pub reason: Option<String>,
}

/// Whether one sender's matcher accepts an MX host under a pattern.
#[derive(Clone, Debug, Serialize)]
pub struct MatchAnswer {
    /// Sender id.
    pub sender: &'static str,
    /// Its answer.
    pub matches: bool,
}

/// `model`'s answer for a policy response.
pub fn policy(model: &Model, response: &Response<'_>) -> PolicyAnswer {
    let (outcome, policy, reason) = match (model.policy)(response) {
        PolicyRead::Policy(p) => ("policy", Some(p), None),
        PolicyRead::NoPolicy(why) => ("no-policy", None, Some(why)),
    };
    PolicyAnswer {
        sender: model.id,
        version: model.version,
        outcome,
        policy,
        reason,
    }
}

/// `model`'s answer for a TXT record set.
pub fn txt(model: &Model, records: &[&str]) -> TxtAnswer {
    let (outcome, id, reason) = match (model.txt)(records) {
        TxtRead::Policy { id } => ("policy", Some(id), None),
        TxtRead::NoPolicy(why) => ("no-policy", None, Some(why)),
    };
    TxtAnswer {
        sender: model.id,
        version: model.version,
        outcome,
        id,
        reason,
    }
}

/// Every sender's answer for a policy response.
pub fn policy_all(response: &Response<'_>) -> Vec<PolicyAnswer> {
    SENDERS.iter().map(|m| policy(m, response)).collect()
}

/// Every sender's answer for a TXT record set.
pub fn txt_all(records: &[&str]) -> Vec<TxtAnswer> {
    SENDERS.iter().map(|m| txt(m, records)).collect()
}

/// Every sender's answer for a pattern and a host.
pub fn match_all(pattern: &str, host: &str) -> Vec<MatchAnswer> {
    SENDERS
        .iter()
        .map(|m| MatchAnswer {
            sender: m.id,
            matches: (m.matches)(pattern, host),
        })
        .collect()
}

/// Answers one adapter-protocol request (a parsed JSON line) as `model` would; a request that
/// cannot be read gets `{"vector", "error"}`.
pub fn adapter(model: &Model, request: &Value) -> Value {
    let vector = request.get("vector").cloned().unwrap_or(Value::Null);
    match answer_of(model, request) {
        Ok(mut v) => {
            v["vector"] = vector;
            v
        }
        Err(e) => json!({ "vector": vector, "error": e }),
    }
}

fn answer_of(model: &Model, request: &Value) -> Result<Value, String> {
    let text = |k: &str| {
        request
            .get(k)
            .and_then(Value::as_str)
            .ok_or(format!("`{k}` must be a string"))
    };
    match request.get("kind").and_then(Value::as_str) {
        Some("sts-txt") => {
            let records = request
                .get("records")
                .and_then(Value::as_array)
                .ok_or("`records` must be an array of strings")?;
            let records: Vec<&str> = records.iter().filter_map(Value::as_str).collect();
            let a = txt(model, &records);
            Ok(json!({ "outcome": a.outcome, "id": a.id, "reason": a.reason }))
        }
        Some("policy") => {
            let status = request
                .get("status")
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .ok_or("`status` must be an HTTP status")?;
            let body = base64::engine::general_purpose::STANDARD
                .decode(text("body_base64")?)
                .map_err(|e| format!("`body_base64`: {e}"))?;
            let content_type = request.get("content_type").and_then(Value::as_str);
            let a = policy(
                model,
                &Response {
                    status,
                    content_type,
                    body: &body,
                },
            );
            Ok(json!({ "outcome": a.outcome, "policy": a.policy, "reason": a.reason }))
        }
        Some("match") => Ok(json!({ "matches": (model.matches)(text("pattern")?, text("host")?) })),
        _ => Err("`kind` must be sts-txt, policy or match".into()),
    }
}
