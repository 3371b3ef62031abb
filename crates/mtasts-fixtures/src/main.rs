//! `mtasts-fixtures`: runs the fixture internet until interrupted, for the Worker tests and the
//! offline demo. Prints one JSON line with the addresses, and writes the test CA (and a bundle of
//! the system CAs plus the test CA, for `NODE_EXTRA_CA_CERTS`) to `--out DIR`.
//! `--write-evidence DIR` writes the Evidence fixtures (one `<domain>.json` per scenario, gathered
//! from the world in memory) and exits; `--print-scenarios` prints the table as JSON.

use std::time::Duration;

use mtasts_fixtures::{FixtureInternet, Options};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("usage: mtasts-fixtures [--doh-port N] [--https-port N] [--dns-delay-ms N] [--https-delay-ms N] [--out DIR] [--mon-domains N] [--print-hosts] [--print-mon-hosts] [--print-mon-extra-hosts] [--print-scenarios] [--write-evidence DIR]");
        return;
    }
    if args.iter().any(|a| a == "--print-scenarios") {
        let list: Vec<_> = mtasts_fixtures::SCENARIOS
            .iter()
            .map(|s| {
                let (verdict, codes) = s.at_edge();
                let edge = serde_json::json!({"verdict": verdict, "code": codes.first().copied().unwrap_or(""), "codes": codes});
                let (pv, pc) = s.with_probe();
                let probed = serde_json::json!({"verdict": pv, "code": pc.first().copied().unwrap_or(""), "codes": pc});
                serde_json::json!({"domain": s.domain, "verdict": s.verdict, "code": s.code(), "codes": s.codes, "edge": edge, "probed": probed})
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return;
    }
    if let Some(dir) = arg(&args, "--write-evidence") {
        match mtasts_fixtures::write_evidence(std::path::Path::new(&dir)) {
            Ok(n) => println!("wrote {n} Evidence fixtures to {dir}"),
            Err(e) => {
                eprintln!("mtasts-fixtures: cannot write to {dir}: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    if let Some(n) = arg(&args, "--mon-domains").and_then(|v| v.parse::<u32>().ok()) {
        mtasts_fixtures::mon::set_zone_size(n);
    }
    if args.iter().any(|a| a == "--print-mon-extra-hosts") {
        print!("{}", FixtureInternet::mon_extra_hosts_entries());
        return;
    }
    if args.iter().any(|a| a == "--print-mon-hosts") {
        print!("{}", FixtureInternet::mon_hosts_entries());
        return;
    }
    if args.iter().any(|a| a == "--print-hosts") {
        print!("{}", FixtureInternet::hosts_entries());
        return;
    }
    let num = |name: &str| {
        arg(&args, name)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let opts = Options {
        dns_delay: Duration::from_millis(num("--dns-delay-ms")),
        https_delay: Duration::from_millis(num("--https-delay-ms")),
        doh_port: u16::try_from(num("--doh-port")).unwrap_or(0),
        https_port: u16::try_from(num("--https-port")).unwrap_or(0),
    };
    let fx = match FixtureInternet::start(opts) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("mtasts-fixtures: {e}");
            std::process::exit(2);
        }
    };
    if let Some(dir) = arg(&args, "--out") {
        let dir = std::path::PathBuf::from(dir);
        let system =
            std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt").unwrap_or_default();
        let written = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(dir.join("ca.pem"), &fx.ca_pem))
            .and_then(|()| {
                std::fs::write(
                    dir.join("ca-bundle.pem"),
                    format!("{system}\n{}", fx.ca_pem),
                )
            });
        if let Err(e) = written {
            eprintln!("mtasts-fixtures: cannot write to {}: {e}", dir.display());
            std::process::exit(2);
        }
    }
    println!(
        "{}",
        serde_json::json!({"doh_url": fx.doh_url, "https_addr": fx.https_addr.to_string(), "closed_addr": fx.closed_addr.to_string()})
    );
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
