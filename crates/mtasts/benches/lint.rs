//! Criterion benchmarks: lint of a typical policy, of a 64 KiB policy, of TXT records, and a
//! whole assessment, and the Worker's work for one report. Run with `cargo bench -p mtasts` (or `scripts/bench`); figures go in the
//! closing note of the issue that changes them.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const TYPICAL: &str = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.mail.protection.outlook.com\r\nmx: alt1.aspmx.l.google.com\r\nmax_age: 1209600\r\n";

fn big_policy() -> Vec<u8> {
    let mut s = String::from("version: STSv1\r\nmode: enforce\r\nmax_age: 1209600\r\n");
    let mut i = 0;
    while s.len() < 64 * 1024 - 40 {
        s.push_str(&format!("mx: mx{i}.mail.example.com\r\n"));
        i += 1;
    }
    s.into_bytes()
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("lint");
    g.throughput(Throughput::Bytes(TYPICAL.len() as u64));
    g.bench_function("policy_typical", |b| {
        b.iter(|| mtasts::lint_policy(black_box(TYPICAL.as_bytes())))
    });
    let big = big_policy();
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("policy_64k", |b| {
        b.iter(|| mtasts::lint_policy(black_box(&big)))
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("sts_txt", |b| {
        b.iter(|| mtasts::lint_sts_txt(black_box(&["v=STSv1; id=20240101000000"])))
    });
    g.bench_function("sts_txt_set_of_3", |b| {
        b.iter(|| {
            mtasts::lint_sts_txt(black_box(&[
                "v=spf1 -all",
                "v=STSv1 ; id=old",
                "v=STSv1; id=20240101000000",
            ]))
        })
    });
    g.bench_function("tlsrpt", |b| {
        b.iter(|| {
            mtasts::lint_tlsrpt(black_box(&[
                "v=TLSRPTv1; rua=mailto:tls@example.com,https://reports.example.com/v1",
            ]))
        })
    });
    g.bench_function("mx_match", |b| {
        b.iter(|| mtasts::mx_matches(black_box("*.example.com"), black_box("Mail.Example.com.")))
    });
    g.finish();

    let ev: mtasts::Evidence = serde_json::from_str(include_str!(
        "../../../tests/fixtures/evidence/stale.test.json"
    ))
    .expect("fixture");
    c.bench_function("assess/stale_pattern", |b| {
        b.iter(|| mtasts::assess(black_box(&ev)))
    });
}

/// The Worker's CPU work for one `/api/report` (natively): every DNS answer decoded from the
/// wire, the Evidence gathered, judged, and written as the JSON the Worker sends.
fn worker(c: &mut Criterion) {
    let ev: mtasts::Evidence = serde_json::from_str(include_str!(
        "../../../tests/fixtures/evidence/good.test.json"
    ))
    .expect("fixture");
    let replay = mtasts::observe::replay::Replay::new(&ev);
    c.bench_function("worker_report/good.test", |b| {
        b.iter(|| {
            let ev = futures::executor::block_on(mtasts::gather(&replay, "good.test"));
            serde_json::to_string(&mtasts::api::Checked::assess(ev)).expect("json")
        })
    });
}

criterion_group!(lint, benches, worker);
criterion_main!(lint);
