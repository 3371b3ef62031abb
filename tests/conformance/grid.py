#!/usr/bin/env python3
"""Writes tests/conformance/vectors.jsonl: the conformance vectors, as adapter requests
(PROTOCOL.md) with a category and what RFC 8461 says (section, and the answer of mtasts's
reference reading, `mtasts senders adapter rfc`) and what each modelled sender does (`senders`:
the answer of each model, proven equal to the real implementation where it runs here).

The vectors: a grid of every quirk senders are known to read differently and its neighbours
(TXT sets, HTTP status, Content-Type and charset, size, line endings, blank lines, whitespace,
key and value case, duplicates, unknown and missing keys, version, max_age bounds, mx syntax,
matching), the project's fixtures (tests/fixtures: policies, the policy corpus, every Evidence
file's TXT set and policy response), seeded mutations of the grid's policies (a fixed
pseudo-random seed, so the file is the same on every run), and the inputs the fuzzer found
(tests/conformance/fuzzer/: policy bodies, responses, TXT sets, mx/host pairs; its README says
how they were produced and selected).

    python3 tests/conformance/grid.py --mtasts target/debug/mtasts [--check]

--check: fail (exit 1) if the committed file differs from what would be written.
"""
import argparse
import base64
import glob
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "vectors.jsonl")

GOOD = ["version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 604800"]
vectors = []


def policy(vid, category, section, body, status=200, ctype="text/plain", note=None):
    if isinstance(body, str):
        body = body.encode("utf-8")
    v = {"vector": vid, "kind": "policy", "category": category, "section": section,
         "status": status, "content_type": ctype,
         "body_base64": base64.b64encode(body).decode("ascii")}
    if note:
        v["note"] = note
    vectors.append(v)


def lines(ls, end="\r\n", final=True):
    return end.join(ls) + (end if final else "")


def txt(vid, category, records, section="RFC 8461 §3.1"):
    vectors.append({"vector": vid, "kind": "sts-txt", "category": category, "section": section,
                    "records": records})


def match(vid, pattern, host, category="mx-matching"):
    vectors.append({"vector": vid, "kind": "match", "category": category,
                    "section": "RFC 8461 §4.1", "pattern": pattern, "host": host})


def grid_txt():
    c = "txt-syntax"
    for i, r in enumerate([
        "v=STSv1; id=20240101", "v=STSv1;id=abc", "v=STSv1; id=abc;", "v=STSv1 ; id=abc",
        "v=STSv1;  id=abc", "v=STSv1; id=abc ", " v=STSv1; id=abc", "v=stsv1; id=abc",
        "V=STSv1; id=abc", "v=STSv2; id=abc", "v=STSv1", "v=STSv1;", "v=STSv1; id=",
        "v=STSv1; id=a-b", "v=STSv1; id=a_b", "v=STSv1; id=" + "a" * 32,
        "v=STSv1; id=" + "a" * 33, "id=abc; v=STSv1", "v=STSv1; id=abc; id=def",
        "v=STSv1; id=abc; ext=1", "v=STSv1; ext=1; id=abc", "v=STSv1; id = abc",
        "v=STSv1; ID=abc", "v=STSv1; id=abc; bad", "v=STSv1;\tid=abc", "v=STSv1; id=ab c",
        "v=STSv1; id=abc;;", "v=STSv1 id=abc", "v = STSv1; id=abc", "v=STSv1; id=ÄÖ",
    ]):
        txt(f"txt-syntax-{i:02}", c, [r])
    c = "txt-discovery"
    for i, rs in enumerate([
        [], ["v=STSv1; id=a", "v=STSv1; id=b"], ["v=STSv1; id=a", "v=STSv1; id=a"],
        ["v=STSv1; id=a", "hello world"], ["hello world", "v=STSv1; id=a"],
        ["v=STSv1; id=a", "v=spf1 -all"], ["v=STSv1; id=a", "v=STSv1 ; id=b"],
        ["v=STSv1; id=a", "v=STSv1; bad"], ["v=STSv1; id=a", ""], ["hello"],
        ["v=STSv1; id=a", "v=STSv10; id=b"], ["v=STSv1; id=a", "v=stsv1; id=b"],
    ]):
        txt(f"txt-discovery-{i:02}", c, rs)


def grid_http():
    body = lines(GOOD)
    for s in [200, 201, 203, 204, 206, 301, 302, 303, 307, 308, 400, 403, 404, 410, 500, 503]:
        policy(f"http-status-{s}", "http-status", "RFC 8461 §3.3", "" if s == 204 else body, status=s)
    for i, ct in enumerate([None, "text/plain", "text/plain; charset=utf-8", "text/plain;charset=UTF-8",
                            "text/plain; charset=us-ascii", "text/plain; charset=iso-8859-1",
                            "TEXT/PLAIN", "text/plain ; charset=utf-8", "text/html",
                            "application/octet-stream", "text/plain; format=flowed", "",
                            "text/plainx", "application/json", "text/plain; charset=\"utf-8\""]):
        policy(f"content-type-{i:02}", "content-type", "RFC 8461 §3.2", body, ctype=ct)
    ext = GOOD + ["x-note: café"]
    for i, ct in enumerate(["text/plain", "text/plain; charset=utf-8", "text/plain; charset=iso-8859-1", None]):
        policy(f"charset-utf8-ext-{i}", "charset", "RFC 8461 §3.2", lines(ext), ctype=ct)
        policy(f"charset-latin1-ext-{i}", "charset", "RFC 8461 §3.2",
               lines(GOOD).encode() + "x-note: caf\xe9\r\n".encode("latin-1"), ctype=ct)
    policy("charset-bom", "charset", "RFC 8461 §3.2", b"\xef\xbb\xbf" + lines(GOOD).encode())
    policy("charset-bom-utf8", "charset", "RFC 8461 §3.2", b"\xef\xbb\xbf" + lines(GOOD).encode(),
           ctype="text/plain; charset=utf-8")
    policy("charset-nul", "charset", "RFC 8461 §3.2", lines(GOOD).encode() + b"x-note: a\x00b\r\n")
    policy("charset-utf16", "charset", "RFC 8461 §3.2", lines(GOOD).encode("utf-16"))
    base = lines(GOOD).encode()
    for total in [4096, 65535, 65536, 65537, 100000, (1 << 20) + 1]:
        pad = max(0, total - len(base) - len("x-pad: \r\n"))
        policy(f"size-{total}", "size", "RFC 8461 §3.3", base + b"x-pad: " + b"a" * pad + b"\r\n")
    policy("size-empty", "size", "RFC 8461 §3.2", b"")


def grid_body():
    c = "line-endings"
    policy("lines-crlf", c, "RFC 8461 §3.2", lines(GOOD))
    policy("lines-lf", c, "RFC 8461 §3.2 (erratum 6253)", lines(GOOD, "\n"))
    policy("lines-cr", c, "RFC 8461 §3.2", lines(GOOD, "\r"))
    policy("lines-mixed", c, "RFC 8461 §3.2", "version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmax_age: 604800\n")
    policy("lines-no-final", c, "RFC 8461 §3.2", lines(GOOD, final=False))
    policy("lines-lf-no-final", c, "RFC 8461 §3.2", lines(GOOD, "\n", final=False))
    policy("lines-crcrlf", c, "RFC 8461 §3.2", lines(GOOD, "\r\r\n"))
    c = "blank-lines"
    for end in ["\r\n", "\n"]:
        e = "crlf" if end == "\r\n" else "lf"
        policy(f"blank-trailing-{e}", c, "RFC 8461 §3.2", lines(GOOD, end) + end)
        policy(f"blank-trailing2-{e}", c, "RFC 8461 §3.2", lines(GOOD, end) + end + end)
        policy(f"blank-leading-{e}", c, "RFC 8461 §3.2", end + lines(GOOD, end))
        policy(f"blank-middle-{e}", c, "RFC 8461 §3.2", lines(GOOD[:2] + [""] + GOOD[2:], end))
        policy(f"blank-spaces-{e}", c, "RFC 8461 §3.2", lines(GOOD + ["   "], end))
    c = "whitespace"
    for i, ls in enumerate([
        ["version: STSv1", "mode:enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode:   enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode:\tenforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce  ", "mx: mail.example.com ", "max_age: 604800 "],
        ["version: STSv1", "mode : enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", " mode: enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "\tmode: enforce", "mx: mail.example.com", "max_age: 604800"],
        [" version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mx:  mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age:604800"],
        ["version: STSv1", "mode: enforce", "mx : mail.example.com", "max_age: 604800"],
        ["version:STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 604800", "x: a b"],
    ]):
        policy(f"whitespace-{i:02}", c, "RFC 8461 §3.2", lines(ls))
    c = "key-case"
    for i, (k, v) in enumerate([("Mode", "enforce"), ("MODE", "enforce"), ("Version", "STSv1"),
                                ("MX", "mail.example.com"), ("Max_Age", "604800"), ("max-age", "604800")]):
        ls = [l for l in GOOD if not l.lower().replace("-", "_").startswith(k.lower().replace("-", "_") + ":")]
        ls.insert(1, f"{k}: {v}")
        policy(f"key-case-{i}", c, "RFC 8461 §3.2", lines(ls))
    c = "value-case"
    for i, (k, v) in enumerate([("mode", "Enforce"), ("mode", "ENFORCE"), ("mode", "Testing"),
                                ("version", "stsv1"), ("version", "STSV1"), ("mx", "MAIL.EXAMPLE.COM"),
                                ("mode", "enforced"), ("mode", ""), ("mode", "report")]):
        ls = [l for l in GOOD if not l.startswith(k + ":")]
        ls.insert(1, f"{k}: {v}")
        policy(f"value-case-{i}", c, "RFC 8461 §3.2", lines(ls))


def grid_fields():
    c = "duplicates"
    dups = [
        ["version: STSv1", "mode: testing", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mode: testing", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mode: none", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mode: bogus", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 604800", "max_age: 86400"],
        ["version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 86400", "max_age: 604800"],
        ["version: STSv1", "version: STSv1", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: MAIL.example.com", "max_age: 604800"],
        ["version: STSv1", "mode: testing", "mx: mail.example.com", "max_age: 604800", "mode: enforce"],
    ]
    for i, ls in enumerate(dups):
        policy(f"duplicate-{i:02}", c, "RFC 8461 §3.2", lines(ls))
    c = "unknown-keys"
    for i, extra in enumerate(["x-note: hello", "nmx: mail.example.com", "foo:", "foo: a:b", "policy_id: 1",
                               "bare line", "# comment", ":", "x.y-z_w: v", "a" * 40 + ": v"]):
        policy(f"unknown-{i:02}", c, "RFC 8461 §3.2", lines(GOOD + [extra]))
    c = "missing-keys"
    for i, ls in enumerate([
        GOOD[1:], [GOOD[0]] + GOOD[2:], GOOD[:3], GOOD[:2] + GOOD[3:],
        ["version: STSv1", "mode: testing", "max_age: 604800"],
        ["version: STSv1", "mode: none", "max_age: 86400"],
        ["version: STSv1", "mode: none", "mx: mail.example.com", "max_age: 86400"],
        ["version: STSv1", "mode: none"],
    ]):
        policy(f"missing-{i:02}", c, "RFC 8461 §3.2", lines(ls))
    c = "version"
    for i, ls in enumerate([
        ["mode: enforce", "version: STSv1", "mx: mail.example.com", "max_age: 604800"],
        ["mode: enforce", "mx: mail.example.com", "max_age: 604800", "version: STSv1"],
        ["version: STSv2", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: STSv1.0", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
        ["version: ", "mode: enforce", "mx: mail.example.com", "max_age: 604800"],
    ]):
        policy(f"version-{i}", c, "RFC 8461 §3.2", lines(ls))
    c = "max-age"
    for v in ["0", "1", "86400", "31557600", "31557601", "9999999999", "99999999999", "0000604800",
              "00000604800", "-1", "+604800", "604800s", "", "6e5", "604 800", "0x93a80",
              "18446744073709551616", "4294967296"]:
        ls = GOOD[:3] + [f"max_age: {v}"]
        policy(f"max-age-{v or 'empty'}"[:40], c, "RFC 8461 §3.2", lines(ls))
    c = "mx-syntax"
    for i, m in enumerate(["mail.example.com.", "MAIL.EXAMPLE.COM", "*.example.com", "*", "*.", "*.*.example.com",
                           "mail.*.example.com", "192.0.2.1", "[192.0.2.1]", "", "mail_1.example.com",
                           "mail.example.com:25", "-mail.example.com", "mail..example.com", "localhost",
                           "xn--bcher-kva.example", "bücher.example", "mail.example.com, mx2.example.com",
                           "a" * 64 + ".example.com", ".example.com", "*example.com", "mail.example.com;"]):
        ls = GOOD[:2] + [f"mx: {m}"] + GOOD[3:]
        policy(f"mx-syntax-{i:02}", c, "RFC 8461 §3.2, §4.1", lines(ls))


def grid_match():
    pairs = [
        ("mail.example.com", "mail.example.com"), ("mail.example.com", "MAIL.example.com"),
        ("MAIL.EXAMPLE.COM", "mail.example.com"), ("mail.example.com.", "mail.example.com"),
        ("mail.example.com", "mail.example.com."), ("mail.example.com.", "mail.example.com."),
        ("*.example.com", "mail.example.com"), ("*.example.com", "a.b.example.com"),
        ("*.example.com", "example.com"), ("*.example.com", "mail.example.com."),
        ("*.example.com.", "mail.example.com"), ("*.EXAMPLE.com", "mail.example.COM"),
        ("*.example.com", "mail.example.org"), ("*.example.com", "mailexample.com"),
        ("*", "mail"), ("*", "mail.example.com"), (".example.com", "mail.example.com"),
        (".example.com", "a.b.example.com"), ("example.com", "mail.example.com"),
        ("mail.example.com", "mail.example.com.evil.net"), ("*.mail.example.com", "a.mail.example.com"),
        ("mail.*.com", "mail.example.com"), ("*.com", "example.com"), ("", "mail.example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"), ("mail.example.com", "mx.example.com"),
    ]
    for i, (p, h) in enumerate(pairs):
        match(f"match-{i:02}", p, h)


def fixtures():
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/policies/*.txt"))):
        with open(path, "rb") as f:
            policy("fixture-" + os.path.basename(path)[:-4], "fixtures", "RFC 8461 §3.2", f.read())
    with open(os.path.join(ROOT, "tests/fixtures/policy-corpus.json"), encoding="utf-8") as f:
        for i, text in enumerate(json.load(f)):
            policy(f"corpus-{i:03}", "fixtures", "RFC 8461 §3.2", text)
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/evidence/*.json"))):
        name = os.path.basename(path)[:-5]
        with open(path, encoding="utf-8") as f:
            ev = json.load(f)
        sts = ev.get("sts_txt") or {}
        if sts.get("rcode") == "NOERROR":
            recs = ["".join(a.get("strings", [])) for a in sts.get("answers", []) if a.get("type") == "TXT"]
            txt(f"evidence-txt-{name}", "fixtures", recs)
        fetch = ev.get("policy_fetch") or {}
        if fetch.get("status") is not None and fetch.get("body") is not None:
            b = fetch["body"]
            body = b["text"].encode("utf-8") if "text" in b else base64.b64decode(b.get("base64", ""))
            ct = next((h["value"] for h in fetch.get("headers", []) if h["name"].lower() == "content-type"), None)
            policy(f"evidence-policy-{name}", "fixtures", "RFC 8461 §3.3", body, status=fetch["status"], ctype=ct)


def mutations():
    """Seeded mutations of the grid's good policy: byte-level edits near the quirks."""
    rng = random.Random(8461)
    pieces = ["\r\n", "\n", "\r", " ", "\t", ":", "\ufeff", "\x00", "é", "*.", ".", "M", "E", "#"]
    base = lines(GOOD + ["mx: *.example.net"])
    for i in range(120):
        s = base
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(len(s) + 1)
            op = rng.random()
            if op < 0.4:
                s = s[:pos] + rng.choice(pieces) + s[pos:]
            elif op < 0.7 and pos < len(s):
                s = s[:pos] + s[pos + 1:]
            elif pos < len(s):
                s = s[:pos] + s[pos].swapcase() + s[pos + 1:]
        policy(f"mutation-{i:03}", "mutations", "RFC 8461 §3.2", s)


# tests/conformance/fuzzer/<kind>/: inputs the fuzzer found (its README says how), one file each.
FUZZER = os.path.join(HERE, "fuzzer")
FUZZER_KINDS = ["policy", "response", "sts-txt", "match"]
# The statuses a `response` file's first byte picks from (fuzz/fuzz_targets/senders.rs: STATUSES).
FUZZER_STATUSES = [200, 200, 201, 203, 301, 302, 404, 500]


def fuzzer_input(kind, vid, data):
    """One fuzzer input as a vector of the `fuzzer` category. `policy`: a body served 200
    text/plain; `response`: a status byte, the Content-Type up to the first LF (empty: none), the
    body; `sts-txt`: UTF-8 records separated by NUL; `match`: pattern NUL host (UTF-8)."""
    c = "fuzzer"
    if kind == "policy":
        policy(vid, c, "RFC 8461 §3.2", data)
    elif kind == "response":
        ct, _, body = data[1:].partition(b"\n")
        ct = ct.decode("utf-8", "replace")
        policy(vid, c, "RFC 8461 §3.2, §3.3", body, status=FUZZER_STATUSES[data[0] % len(FUZZER_STATUSES)],
               ctype=ct or None)
    elif kind == "sts-txt":
        txt(vid, c, data.decode("utf-8", "replace").split("\0"))
    else:
        pattern, _, host = data.decode("utf-8", "replace").partition("\0")
        match(vid, pattern, host, category=c)


def fuzzer():
    for kind in FUZZER_KINDS:
        for path in sorted(glob.glob(os.path.join(FUZZER, kind, "*"))):
            if os.path.basename(path).startswith("."):
                continue
            with open(path, "rb") as f:
                fuzzer_input(kind, f"fuzzer-{kind}-{os.path.basename(path)}", f.read())


def answers_of(mtasts, sender):
    reqs = "".join(json.dumps({k: v[k] for k in v if k not in ("category", "section", "note")}) + "\n"
                   for v in vectors)
    out = subprocess.run([mtasts, "senders", "adapter", sender], input=reqs.encode(), capture_output=True, check=True)
    answers = [json.loads(l) for l in out.stdout.decode().splitlines()]
    assert len(answers) == len(vectors), f"the {sender} adapter did not answer every vector"
    for a in answers:
        a.pop("vector", None)
        a.pop("reason", None)
    return [{k: x for k, x in a.items() if x is not None} for a in answers]


def expectations(mtasts):
    """What RFC 8461 says (`rfc`) and what each modelled sender does (`senders`), per vector."""
    for v, a in zip(vectors, answers_of(mtasts, "rfc")):
        v["rfc"] = a
    listed = subprocess.run([mtasts, "--format", "json", "senders", "list"], capture_output=True, check=True)
    for m in json.loads(listed.stdout):
        for v, a in zip(vectors, answers_of(mtasts, m["sender"])):
            v.setdefault("senders", {})[m["sender"]] = a


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtasts", default=os.path.join(ROOT, "target/debug/mtasts"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    grid_txt(); grid_http(); grid_body(); grid_fields(); grid_match(); fixtures(); mutations(); fuzzer()
    ids = [v["vector"] for v in vectors]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    assert not dup, f"duplicate vector ids: {dup}"
    expectations(args.mtasts)
    text = "".join(json.dumps(v, ensure_ascii=False, sort_keys=True) + "\n" for v in vectors)
    if args.check:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                print("tests/conformance/vectors.jsonl is stale: run python3 tests/conformance/grid.py", file=sys.stderr)
                return 1
        print(f"vectors.jsonl up to date ({len(vectors)} vectors)")
        return 0
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT}: {len(vectors)} vectors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
