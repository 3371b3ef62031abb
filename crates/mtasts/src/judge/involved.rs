//! Who is involved, as audits record it: the mail provider (from the MX names of well-known
//! providers), the DNS host (from the NS records) and who serves the policy (the CNAME target of
//! `mta-sts.<domain>`). Names are recognised by the suffixes each provider's hosts share; a name
//! no table knows is shown as it is, never guessed.

use serde::{Deserialize, Serialize};

use crate::observe::evidence::{Evidence, LookupStatus, RecordData};

/// One party: who it is (when recognised) and the DNS data it was recognised from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// The provider's name, when a well-known one (`Google Workspace`, `Cloudflare`).
    pub name: Option<String>,
    /// What it was read from (`MX aspmx.l.google.com`).
    pub from: String,
}

/// The mail provider, the DNS host and who serves the policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Involved {
    /// From the MX hosts.
    pub mail: Option<Party>,
    /// From the NS records.
    pub dns: Option<Party>,
    /// From the CNAME of `mta-sts.<domain>`.
    pub policy: Option<Party>,
}

/// Suffixes of the MX host names of well-known mail providers.
const MAIL: &[(&str, &str)] = &[
    ("google.com", "Google Workspace"),
    ("googlemail.com", "Google Workspace"),
    ("mail.protection.outlook.com", "Microsoft 365"),
    ("outlook.com", "Microsoft 365"),
    ("protonmail.ch", "Proton Mail"),
    ("messagingengine.com", "Fastmail"),
    ("zoho.com", "Zoho Mail"),
    ("zoho.eu", "Zoho Mail"),
    ("mimecast.com", "Mimecast"),
    ("pphosted.com", "Proofpoint"),
    ("ppe-hosted.com", "Proofpoint Essentials"),
    ("icloud.com", "Apple iCloud Mail"),
    ("yandex.net", "Yandex 360"),
    ("mx.cloudflare.net", "Cloudflare Email Routing"),
    ("amazonaws.com", "Amazon SES / WorkMail"),
    ("mailgun.org", "Mailgun"),
    ("secureserver.net", "GoDaddy"),
    ("ovh.net", "OVHcloud"),
    ("gandi.net", "Gandi"),
    ("privateemail.com", "Namecheap Private Email"),
    ("registrar-servers.com", "Namecheap"),
    ("kundenserver.de", "IONOS"),
    ("ionos.com", "IONOS"),
    ("hornetsecurity.com", "Hornetsecurity"),
    ("barracudanetworks.com", "Barracuda"),
    ("emailsrvr.com", "Rackspace"),
    ("mailspamprotection.com", "SiteGround"),
    ("titan.email", "Titan"),
    ("migadu.com", "Migadu"),
    ("mxrouting.net", "MXroute"),
    ("trendmicro.com", "Trend Micro"),
    ("trendmicro.eu", "Trend Micro"),
];

/// Suffixes of the name servers of well-known DNS hosts.
const DNS: &[(&str, &str)] = &[
    ("ns.cloudflare.com", "Cloudflare"),
    ("awsdns-", "Amazon Route 53"),
    ("azure-dns.", "Azure DNS"),
    ("googledomains.com", "Google Cloud DNS"),
    ("domaincontrol.com", "GoDaddy"),
    ("registrar-servers.com", "Namecheap"),
    ("nsone.net", "NS1"),
    ("dnsimple.com", "DNSimple"),
    ("digitalocean.com", "DigitalOcean"),
    ("linode.com", "Akamai Linode"),
    ("ovh.net", "OVHcloud"),
    ("gandi.net", "Gandi"),
    ("hetzner.com", "Hetzner"),
    ("hetzner.de", "Hetzner"),
    ("ui-dns.", "IONOS"),
    ("dnsmadeeasy.com", "DNS Made Easy"),
    ("ultradns.", "UltraDNS"),
    ("akam.net", "Akamai"),
    ("vercel-dns.com", "Vercel"),
    ("wixdns.net", "Wix"),
    ("squarespacedns.com", "Squarespace"),
    ("porkbun.com", "Porkbun"),
    ("dynect.net", "Oracle Dyn"),
    ("name-services.com", "Enom"),
    ("hostinger.com", "Hostinger"),
];

/// Suffixes of the hosts that serve policies (web hosting, MTA-STS services).
const WEB: &[(&str, &str)] = &[
    ("github.io", "GitHub Pages"),
    ("netlify.app", "Netlify"),
    ("vercel.app", "Vercel"),
    ("pages.dev", "Cloudflare Pages"),
    ("workers.dev", "Cloudflare Workers"),
    ("azurewebsites.net", "Azure App Service"),
    ("azurestaticapps.net", "Azure Static Web Apps"),
    ("cloudfront.net", "Amazon CloudFront"),
    ("herokuapp.com", "Heroku"),
    ("web.app", "Firebase Hosting"),
    ("firebaseapp.com", "Firebase Hosting"),
    ("uriports.com", "URIports"),
    ("mailhardener.com", "Mailhardener"),
    ("powerdmarc.com", "PowerDMARC"),
    ("easydmarc.com", "EasyDMARC"),
    ("dmarcian.com", "dmarcian"),
    ("ondmarc.com", "Red Sift OnDMARC"),
    ("valimail.com", "Valimail"),
    ("sendmarc.com", "Sendmarc"),
];

/// The provider `host` belongs to in `table`: a suffix at a label boundary, or a fragment ending
/// in `-` or `.` anywhere in the name.
fn known(table: &[(&str, &'static str)], host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    table.iter().find_map(|(s, name)| {
        let hit = if s.ends_with(['-', '.']) {
            host.contains(s)
        } else {
            host == *s || host.ends_with(&format!(".{s}"))
        };
        hit.then_some(*name)
    })
}

/// The first host of `hosts` a table knows, or the first host, as a party.
fn party(table: &[(&str, &'static str)], kind: &str, hosts: &[String]) -> Option<Party> {
    let first = hosts.first()?;
    let (host, name) = hosts
        .iter()
        .find_map(|h| known(table, h).map(|n| (h, n)))
        .map_or((first, None), |(h, n)| (h, Some(n.to_owned())));
    Some(Party {
        name,
        from: format!("{kind} {}", host.trim_end_matches('.')),
    })
}

/// Who is involved, from `ev`.
pub fn involved(ev: &Evidence) -> Involved {
    let mx: Vec<String> = if ev.mx.status() == LookupStatus::Found {
        ev.mx
            .exchanges()
            .into_iter()
            .filter(|e| !e.trim_end_matches('.').is_empty())
            .collect()
    } else {
        vec![]
    };
    let ns: Vec<String> = ev
        .ns
        .iter()
        .flat_map(|l| l.answers.iter())
        .filter_map(|r| match &r.data {
            RecordData::Ns { host } => Some(host.clone()),
            _ => None,
        })
        .collect();
    let cname = ev.policy_host.iter().find_map(|l| {
        l.answers.iter().find_map(|r| match &r.data {
            RecordData::Cname { target } => Some(target.clone()),
            _ => None,
        })
    });
    let policy = match cname {
        Some(t) => party(WEB, "CNAME", &[t]),
        None if ev
            .policy_host
            .iter()
            .any(|l| l.status() == LookupStatus::Found) =>
        {
            Some(Party {
                name: None,
                from: format!("mta-sts.{} has its own addresses (no CNAME)", ev.domain),
            })
        }
        None => None,
    };
    Involved {
        mail: party(MAIL, "MX", &mx),
        dns: party(DNS, "NS", &ns),
        policy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_are_recognised_by_suffix_at_a_label_boundary() {
        assert_eq!(known(MAIL, "ASPMX.L.GOOGLE.COM."), Some("Google Workspace"));
        assert_eq!(
            known(MAIL, "example-com.mail.protection.outlook.com"),
            Some("Microsoft 365")
        );
        assert_eq!(known(MAIL, "notgoogle.com"), None);
        assert_eq!(known(DNS, "ns-1234.awsdns-12.org"), Some("Amazon Route 53"));
        assert_eq!(known(DNS, "ada.ns.cloudflare.com"), Some("Cloudflare"));
        assert_eq!(known(WEB, "example.github.io"), Some("GitHub Pages"));
        let p = party(
            MAIL,
            "MX",
            &["mx.example.net".into(), "alt1.aspmx.l.google.com".into()],
        )
        .expect("party");
        assert_eq!(
            p,
            Party {
                name: Some("Google Workspace".into()),
                from: "MX alt1.aspmx.l.google.com".into()
            }
        );
        let p = party(MAIL, "MX", &["mx.example.net.".into()]).expect("party");
        assert_eq!(
            p,
            Party {
                name: None,
                from: "MX mx.example.net".into()
            }
        );
        assert_eq!(party(MAIL, "MX", &[]), None);
    }
}
