//! Generating a policy, its TXT record and a TLS-RPT record (RFC 8461 §3, RFC 8460 §3).
//!
//! What it writes lints clean: CRLF line endings, version first, exact host names as patterns.

use serde::{Deserialize, Serialize};

use crate::names::domain::{HostName, MxPattern};
use crate::records::policy::{Mode, Policy, MAX_AGE_LIMIT};
use crate::records::sts_txt::StsRecord;
use crate::records::tlsrpt::TlsRptRecord;

/// What to generate from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateInput {
    /// MX host names (U-labels are converted to A-labels; trailing dots dropped).
    pub mx: Vec<String>,
    /// The mode (start with testing).
    pub mode: Mode,
    /// max_age in seconds.
    pub max_age: u64,
    /// Now, in Unix seconds: the TXT id is this time as `YYYYMMDDhhmmss` (UTC).
    pub now: u64,
    /// The domain; when empty, the parent of the first MX host is assumed.
    #[serde(default)]
    pub domain: String,
    /// Where TLS reports go; when empty, `mailto:tls-reports@<domain>`.
    #[serde(default)]
    pub rua: String,
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// The domain the records are for.
    pub domain: String,
    /// The policy file text (CRLF line endings).
    pub policy: String,
    /// The `_mta-sts` TXT record value.
    pub sts_txt: String,
    /// The `_smtp._tls` TXT record value.
    pub tlsrpt: String,
    /// The three as zone-file lines.
    pub zone: String,
}

/// Why nothing could be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// No MX host was given.
    #[error("give at least one MX host")]
    NoMx,
    /// An MX host is not a host name.
    #[error("`{0}` is not a host name")]
    InvalidHost(String),
    /// max_age above the RFC's maximum.
    #[error("max_age {0} is above the maximum of 31557600")]
    MaxAgeTooLarge(u64),
    /// The domain is not a domain name.
    #[error("`{0}` is not a domain name")]
    InvalidDomain(String),
    /// The rua is not a valid `mailto:` or `https:` URI.
    #[error("`{0}` is not a usable TLS-RPT address (mailto:… or https://…)")]
    InvalidRua(String),
}

/// `YYYYMMDDhhmmss` (UTC) for Unix time `t`: a valid `sts-id` that increases with time.
pub fn id_from_time(t: u64) -> String {
    let (y, m, d) = crate::civil::civil(t);
    let secs = t % 86_400;
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Generates the policy, the TXT record and a TLS-RPT record.
pub fn generate(input: &GenerateInput) -> Result<Generated, GenerateError> {
    let mut mx: Vec<MxPattern> = Vec::new();
    for h in &input.mx {
        // Each host as a host name (A-labels, lower case), written as the policy's pattern.
        let p = HostName::new(h)
            .filter(|n| !n.looks_numeric())
            .and_then(|n| MxPattern::parse(n.as_str()).ok())
            .ok_or_else(|| GenerateError::InvalidHost(h.clone()))?;
        if !mx.contains(&p) {
            mx.push(p);
        }
    }
    let Some(first) = mx.first() else {
        return Err(GenerateError::NoMx);
    };
    if input.max_age > MAX_AGE_LIMIT {
        return Err(GenerateError::MaxAgeTooLarge(input.max_age));
    }
    let domain = if input.domain.trim().is_empty() {
        let name = first.name();
        name.parent().unwrap_or(name.as_str()).to_owned()
    } else {
        HostName::new(&input.domain)
            .filter(|d| d.as_str().contains('.'))
            .ok_or_else(|| GenerateError::InvalidDomain(input.domain.clone()))?
            .to_string()
    };
    let rua = if input.rua.trim().is_empty() {
        format!("mailto:tls-reports@{domain}")
    } else {
        let r = input.rua.trim();
        if r.contains('@') && !r.contains(':') {
            format!("mailto:{r}")
        } else {
            r.to_owned()
        }
    };
    let tlsrpt = TlsRptRecord {
        rua: vec![rua.clone()],
        extensions: Vec::new(),
    };
    let tlsrpt_text = tlsrpt.to_string();
    let c = crate::records::tlsrpt::check_tlsrpt(&[&tlsrpt_text]);
    if !c.is_valid() || !c.findings.is_empty() {
        return Err(GenerateError::InvalidRua(rua));
    }
    let policy = Policy {
        version: "STSv1".into(),
        mode: input.mode,
        max_age: input.max_age,
        mx,
        extensions: Vec::new(),
    };
    let sts = StsRecord {
        id: id_from_time(input.now),
        extensions: Vec::new(),
    };
    let zone = format!(
        "_mta-sts.{domain}. 3600 IN TXT \"{sts}\"\n_smtp._tls.{domain}. 3600 IN TXT \"{tlsrpt_text}\"\n; and serve the policy at https://mta-sts.{domain}/.well-known/mta-sts.txt\n"
    );
    Ok(Generated {
        domain,
        policy: policy.to_string(),
        sts_txt: sts.to_string(),
        tlsrpt: tlsrpt_text,
        zone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_time() {
        assert_eq!(id_from_time(0), "19700101000000");
        assert_eq!(id_from_time(951_782_400), "20000229000000"); // leap day
        assert_eq!(id_from_time(1_700_000_000), "20231114221320");
        assert_eq!(id_from_time(4_102_444_799), "20991231235959");
    }

    #[test]
    fn errors() {
        crate::names::idn::for_tests();
        let base = GenerateInput {
            mx: vec!["mx.example.com".into()],
            mode: Mode::Testing,
            max_age: 604_800,
            now: 0,
            domain: String::new(),
            rua: String::new(),
        };
        assert_eq!(
            generate(&GenerateInput {
                mx: vec![],
                ..base.clone()
            }),
            Err(GenerateError::NoMx)
        );
        assert!(matches!(
            generate(&GenerateInput {
                mx: vec!["http://x".into()],
                ..base.clone()
            }),
            Err(GenerateError::InvalidHost(_))
        ));
        assert!(matches!(
            generate(&GenerateInput {
                max_age: 31_557_601,
                ..base.clone()
            }),
            Err(GenerateError::MaxAgeTooLarge(_))
        ));
        assert!(matches!(
            generate(&GenerateInput {
                rua: "ftp://x".into(),
                ..base.clone()
            }),
            Err(GenerateError::InvalidRua(_))
        ));
        let g = generate(&GenerateInput {
            mx: vec!["MX.Bücher.de.".into()],
            ..base
        })
        .expect("ok");
        assert!(g.policy.contains("mx: mx.xn--bcher-kva.de\r\n"));
        assert_eq!(g.domain, "xn--bcher-kva.de");
    }
}
