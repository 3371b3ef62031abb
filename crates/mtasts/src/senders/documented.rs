//! What the two largest mail operators *document* about MTA-STS, for senders that publish no
//! source: Google (Gmail, Google Workspace) and Microsoft (Exchange Online).
//!
//! Each [`Requirement`] is one statement of their published documentation, in our own words,
//! with the page it is on. Nothing here is inferred from behaviour or guessed: where a page
//! says nothing (for example how Gmail treats a policy it cannot fetch, or what Exchange Online
//! does with a `testing` policy beyond not returning an NDR), there is no entry.
//!
//! The pages were read through the search tool's stored copies; where only a mirror or another
//! language edition of a page held the passage, [`Requirement::source`] says so.
//!
//! Not found in any stored copy (so not listed): the text of Exchange Online's MTA-STS NDR table
//! (the stored copies of "Enhancing mail flow with MTA-STS" stop at its first code, 5.4.8), and
//! any Microsoft statement on the policy file itself (size, line order, `max_age`, wildcards).

/// One documented statement about MTA-STS by a mail operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// Who documents it: `Google` or `Microsoft`.
    pub operator: &'static str,
    /// What the documentation says, in our words.
    pub text: &'static str,
    /// Where: URL and page title (and, if read through a copy, which copy).
    pub source: &'static str,
}

const GOOGLE_ABOUT: &str = "https://support.google.com/a/answer/9261504 — About MTA-STS and TLS \
    reporting (Google Workspace Admin Help; read through the copy at \
    http://ary.com/Computer/Network/Bind/Auth-2/MtaStsTlsRprt.html, which names this page as its source)";

const GOOGLE_CREATE: &str = "https://support.google.com/a/answer/9276511 (also \
    https://knowledge.workspace.google.com/admin/gmail/advanced/create-an-mta-sts-policy) — \
    Create an MTA-STS policy (Google Workspace Admin Help)";

const GOOGLE_CREATE_LOCALISED: &str = "https://support.google.com/a/answer/9276511?hl=ja and \
    https://knowledge.workspace.google.com/admin/gmail/advanced/create-an-mta-sts-policy?hl=ko — \
    Create an MTA-STS policy (Google Workspace Admin Help, Japanese and Korean editions; the stored \
    English copy stops before this section)";

const MICROSOFT_PAGE: &str =
    "https://learn.microsoft.com/en-us/purview/enhancing-mail-flow-with-mta-sts \
    (stored as https://docs.microsoft.com/en-us/purview/enhancing-mail-flow-with-mta-sts) — \
    Enhancing mail flow with MTA-STS (Microsoft Learn)";

const MICROSOFT_PAGE_LATER: &str =
    "https://learn.microsoft.com/en-us/purview/enhancing-mail-flow-with-mta-sts \
    — Enhancing mail flow with MTA-STS (Microsoft Learn; this note is in the later copy stored at \
    https://free.blessedness.top/en-us/purview/enhancing-mail-flow-with-mta-sts, not in the \
    docs.microsoft.com copy)";

const MICROSOFT_BLOG: &str = "https://techcommunity.microsoft.com/t5/exchange-team-blog/introducing-mta-sts-for-exchange-online/ba-p/3106386 \
    — Introducing MTA-STS for Exchange Online (Exchange Team Blog, 2 February 2022)";

/// Every documented statement found, Google's first.
pub static REQUIREMENTS: &[Requirement] = &[
    // ---- Google ------------------------------------------------------------------------------
    Requirement {
        operator: "Google",
        text: "Sending: mail from Gmail complies with MTA-STS when it goes to external servers \
               whose MTA-STS policy is in enforce mode.",
        source: GOOGLE_ABOUT,
    },
    Requirement {
        operator: "Google",
        text: "A domain's MTA-STS policy asks sending servers to deliver to it only over SMTP \
               connections that are authenticated with a valid public certificate and \
               encrypted with TLS 1.2 or higher.",
        source: GOOGLE_ABOUT,
    },
    Requirement {
        operator: "Google",
        text: "The receiving mail servers (the hosts in the MX records) must require TLS and use \
               TLS 1.2 or later.",
        source: GOOGLE_CREATE,
    },
    Requirement {
        operator: "Google",
        text: "Each MX server's TLS certificate must match the host name of that inbound mail \
               server (the name in the MX record), be signed by and trusted through a root \
               certificate authority, and not be expired.",
        source: GOOGLE_CREATE,
    },
    Requirement {
        operator: "Google",
        text: "Every domain needs its own policy file: policies may be identical, but each must \
               be hosted separately for its domain.",
        source: GOOGLE_CREATE,
    },
    Requirement {
        operator: "Google",
        text: "Testing mode only asks for daily reports and enforces none of MTA-STS's \
               connection security; Google recommends starting in testing mode for two weeks.",
        source: GOOGLE_CREATE,
    },
    Requirement {
        operator: "Google",
        text: "Enforce mode: servers that support MTA-STS do not deliver to the domain over a \
               connection that is not encrypted and authenticated; servers without MTA-STS keep \
               delivering as before, possibly unencrypted. Reports keep coming.",
        source: GOOGLE_CREATE_LOCALISED,
    },
    Requirement {
        operator: "Google",
        text: "The policy file is a plain-text file of key-value pairs, one pair per line, named \
               mta-sts.txt, and at most 64 KB.",
        source: GOOGLE_CREATE_LOCALISED,
    },
    Requirement {
        operator: "Google",
        text: "The version field must be the first line of the policy; the other fields may \
               come in any order.",
        source: GOOGLE_CREATE_LOCALISED,
    },
    // ---- Microsoft ---------------------------------------------------------------------------
    Requirement {
        operator: "Microsoft",
        text: "Exchange Online checks MTA-STS for every message it sends to a recipient domain \
               that has an MTA-STS policy; it is always on and needs no administrator action.",
        source: MICROSOFT_PAGE,
    },
    Requirement {
        operator: "Microsoft",
        text: "The checks: TLS must be offered and the receiving server must present a trusted, \
               valid certificate; otherwise the sender refuses to deliver.",
        source: MICROSOFT_PAGE,
    },
    Requirement {
        operator: "Microsoft",
        text: "Only under an enforce policy does a failed check stop delivery: if the \
               destination is not secure and its policy is enforce, the sender may get an NDR.",
        source: MICROSOFT_PAGE,
    },
    Requirement {
        operator: "Microsoft",
        text: "With an outbound connector that uses a smart host, Exchange Online checks \
               MTA-STS against the smart host's domain, not the recipient's domain.",
        source: MICROSOFT_PAGE_LATER,
    },
    Requirement {
        operator: "Microsoft",
        text: "MTA-STS support covers all outgoing Exchange Online mail (announced February \
               2022) and honours the recipient domain's policy.",
        source: MICROSOFT_BLOG,
    },
];

/// The documented statements of one operator (`Google` or `Microsoft`).
pub fn by_operator(operator: &str) -> impl Iterator<Item = &'static Requirement> + '_ {
    REQUIREMENTS.iter().filter(move |r| r.operator == operator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requirement_is_cited() {
        for r in REQUIREMENTS {
            assert!(matches!(r.operator, "Google" | "Microsoft"), "{r:?}");
            assert!(!r.text.is_empty(), "{r:?}");
            assert!(r.source.starts_with("https://"), "{r:?}");
            assert!(r.source.contains(" — "), "a URL and a title: {r:?}");
        }
    }

    /// The documented statements the issue names, by operator.
    #[test]
    fn table_of_what_is_documented() {
        let table: &[(&str, &str)] = &[
            ("Google", "64 KB"),
            ("Google", "first line"),
            ("Google", "TLS 1.2"),
            ("Google", "root"),
            ("Google", "name in the MX record"),
            ("Google", "enforce mode"),
            ("Microsoft", "always on"),
            ("Microsoft", "trusted, valid certificate"),
            ("Microsoft", "smart host"),
            ("Microsoft", "enforce"),
        ];
        for (operator, phrase) in table {
            assert!(
                by_operator(operator).any(|r| r.text.contains(phrase)),
                "{operator}: {phrase}"
            );
        }
        assert_eq!(by_operator("Google").count(), 9);
        assert_eq!(by_operator("Microsoft").count(), 5);
    }
}
