#!/usr/bin/env python3
"""Runs the whole conformance suite and writes docs/senders.md.

1. Every real implementation that installs here is run through its adapter and must agree with
   mtasts's model of it on every vector (a disagreement prints the input and fails).
2. Every model is run against RFC 8461 (the vectors' `rfc` answers): agreement per category.
3. docs/senders.md gets the implementation x category table, and the differential figures.

    python3 tests/conformance/report.py [--mtasts PATH] [--check] [--models-only]

--check: fail if docs/senders.md differs from what would be written. --models-only: skip step 1.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DOC = os.path.join(ROOT, "docs", "senders.md")
README = os.path.join(ROOT, "README.md")
MARK_BEGIN, MARK_END = "<!-- senders-table: begin -->", "<!-- senders-table: end -->"
# The README's short table: a few categories, then the whole.
SHORT = ["txt-discovery", "http-status", "content-type", "charset", "blank-lines", "key-case",
         "duplicates", "max-age", "mx-syntax", "mx-matching"]
A = os.path.join(HERE, "adapters")
# The real implementations: model id -> (adapter command, kinds it answers).
REAL = [
    ("postfix-mta-sts-resolver", [os.path.join(A, "postfix-mta-sts-resolver/run")], "policy,sts-txt,match",
     "PyPI postfix-mta-sts-resolver 1.5.1: its STSResolver with DNS (aiodns) and HTTP (aiohttp) stubbed; matching: its Postfix answer, then Postfix's documented match= rules (Postfix is not run)"),
    ("zonemta", [os.path.join(A, "mailauth/run"), "5"], "policy,sts-txt,match",
     "npm mailauth 5.0.1 (what mx-connect 2.0.0 pins): getPolicy with a resolver and a local HTTP server, validateMx"),
    ("mailauth", [os.path.join(A, "mailauth/run"), "7"], "policy,sts-txt,match",
     "npm mailauth 7.1.0: getPolicy, validateMx"),
    ("mailauth-strict", [os.path.join(A, "mailauth/run"), "7-strict"], "policy,sts-txt,match",
     "npm mailauth 7.1.0 with strict: true"),
    ("stalwart", [os.path.join(A, "mail-auth/run")], "sts-txt",
     "crates.io mail-auth 0.11.2 (Stalwart's TXT parser and resolver, against a stub DNS server); the policy and matching half is read from source"),
    ("chasquid", [os.path.join(A, "chasquid/run")], "policy,sts-txt,match",
     "Debian chasquid 1.11-2+b2: its smtp-check (internal/sts) against stub DNS and HTTPS in a private network namespace"),
]
CATEGORIES = ["txt-syntax", "txt-discovery", "http-status", "content-type", "charset", "size",
              "line-endings", "blank-lines", "whitespace", "key-case", "value-case", "duplicates",
              "unknown-keys", "missing-keys", "version", "max-age", "mx-syntax", "mx-matching",
              "fixtures", "mutations", "fuzzer"]


def run(args):
    return subprocess.run([sys.executable, os.path.join(HERE, "run.py")] + args,
                          capture_output=True, text=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtasts", default=os.path.join(ROOT, "target/debug/mtasts"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--models-only", action="store_true")
    args = ap.parse_args()
    models = json.loads(subprocess.run([args.mtasts, "--format", "json", "senders", "list"],
                                       capture_output=True, check=True, text=True).stdout)
    failed = False
    proven = {}
    if not args.models_only:
        for sender, command, kinds, how in REAL:
            r = run(["--kinds", kinds, "--same-as", f"{args.mtasts} senders adapter {sender}", "--"] + command)
            print(f"== {sender}: {how}")
            sys.stdout.write(r.stdout)
            if r.returncode != 0:
                sys.stderr.write(r.stderr[-3000:])
                failed = True
            last = (r.stdout.strip().splitlines() or [""])[-1]
            proven[sender] = (how, last)
    table = {}
    with tempfile.TemporaryDirectory() as tmp:
        for m in [{"sender": "rfc"}] + models:
            out = os.path.join(tmp, m["sender"] + ".json")
            r = run(["--quiet", "--json", out, "--", args.mtasts, "senders", "adapter", m["sender"]])
            if r.returncode != 0:
                sys.exit(f"conformance: the {m['sender']} model failed: {r.stderr}")
            with open(out, encoding="utf-8") as f:
                table[m["sender"]] = json.load(f)["figures"]
    doc = render(models, table, proven)
    with open(README, encoding="utf-8") as f:
        readme = f.read()
    head, _, rest = readme.partition(MARK_BEGIN)
    _, _, tail = rest.partition(MARK_END)
    readme_new = head + MARK_BEGIN + "\n" + short_table(models, table) + MARK_END + tail
    if args.check:
        for path, want in [(DOC, doc), (README, readme_new)]:
            with open(path, encoding="utf-8") as f:
                if f.read() != want:
                    print(f"{os.path.relpath(path, ROOT)} is stale: run bash tests/conformance/run-all.sh", file=sys.stderr)
                    return 1
        print("docs/senders.md and the README's table up to date")
    else:
        os.makedirs(os.path.dirname(DOC), exist_ok=True)
        with open(DOC, "w", encoding="utf-8") as f:
            f.write(doc)
        with open(README, "w", encoding="utf-8") as f:
            f.write(readme_new)
        print(f"wrote {DOC} and the README's table")
    return 1 if failed else 0


def short_table(models, table):
    rows = ["| implementation | basis | " + " | ".join(SHORT) + " | all vectors |",
            "|---|---|" + "---|" * (len(SHORT) + 1)]
    for m in models:
        figs = table[m["sender"]]
        agree = sum(f["agree"] for f in figs.values())
        total = sum(f["agree"] + f["differ"] for f in figs.values())
        basis = "source" if m["basis"] == "source" else ("documented" if m["basis"] == "documented" else "run")
        rows.append(f"| {m['sender']} | {basis} | " + " | ".join(cell(figs.get(c)) for c in SHORT)
                    + f" | {100 * agree / total:.0f} % |")
    return "\n".join(rows) + "\n"


def cell(f):
    if not f:
        return "–"
    total = f["agree"] + f["differ"]
    return f"{f['agree']}/{total}" if total else "–"


def render(models, table, proven):
    n = sum(table["rfc"][c]["agree"] + table["rfc"][c]["differ"] for c in table["rfc"])
    out = ["# How real senders read MTA-STS: agreement with RFC 8461",
           "",
           "Generated by `python3 tests/conformance/report.py` (`bash tests/conformance/run-all.sh`)",
           "from the conformance vectors in `tests/conformance/vectors.jsonl` "
           f"({n} vectors); do not edit by hand.",
           "",
           "Each cell: vectors of that category on which the implementation's reading agrees with",
           "RFC 8461 as mtasts reads it (`shared/docs/RFC-NOTES.md`): same outcome, and for a policy",
           "the same mode, max_age and mx list; for a TXT set the same id; for a match the same answer.",
           "Readings are those of mtasts's model of each implementation (`crates/mtasts/src/senders/`);",
           "where the implementation installs from a registry, the model is proven equal to the real",
           "code on every vector (below).",
           "",
           "| implementation | version | basis | " + " | ".join(CATEGORIES) + " | all |",
           "|---|---|---|" + "---|" * (len(CATEGORIES) + 1)]
    for m in models:
        figs = table[m["sender"]]
        agree = sum(f["agree"] for f in figs.values())
        total = sum(f["agree"] + f["differ"] for f in figs.values())
        basis = m["basis"] if isinstance(m["basis"], str) else "run: " + m["basis"]["run"]
        out.append(f"| {m['sender']} | {m['version']} | {basis} | "
                   + " | ".join(cell(figs.get(c)) for c in CATEGORIES)
                   + f" | {agree}/{total} ({100 * agree / total:.0f} %) |")
    out += ["", "## Proven against the real code", "",
            "| implementation | what runs | result |", "|---|---|---|"]
    for sender, (how, last) in proven.items():
        out.append(f"| {sender} | {how} | {last} |")
    if not proven:
        out.append("| (not run: --models-only) | | |")
    out += ["", "## Sources", ""]
    for m in models:
        out.append(f"- **{m['sender']}** ({m['name']} {m['version']}): " + "; ".join(m["sources"]))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
