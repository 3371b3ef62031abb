#!/usr/bin/env python3
"""Seeds cargo-fuzz corpora with the conformance vectors, and selects the committed fuzzer inputs
(tests/conformance/fuzzer/<kind>/) from the corpora the fuzzer grew.

    python3 tests/conformance/fuzzer/harvest.py seed fuzz/corpus
    python3 tests/conformance/fuzzer/harvest.py select --mtasts target/debug/mtasts \
        policy=fuzz/corpus/policy senders=fuzz/corpus/senders \
        sts_txt=fuzz/corpus/sts_txt mx_match=fuzz/corpus/mx_match

`seed` writes every vector of vectors.jsonl (but the fuzzer's own) as an input of the targets
policy, sts_txt, mx_match and senders, in each target's input format, under DIR/<target>/.

Each corpus file is read as its fuzz target reads it (fuzz/fuzz_targets/<target>.rs) and turned
into one input of a kind: `policy` (a body served 200 text/plain), `response` (a status byte, a
Content-Type line, the body), `sts-txt` (UTF-8 records separated by NUL) or `match` (pattern NUL
host). Dropped: inputs equal to a vector of another category, and inputs the adapters cannot
carry honestly (over 512 bytes; a Content-Type outside printable ASCII; a TXT set whose answer
does not fit a 512-byte UDP message, as the stub DNS servers answer over UDP only; an mx pattern
with CR or LF; a host empty, outside printable ASCII or with a space).

Then every mtasts model (and the RFC reading) answers each input, and per kind one input is kept
for each distinct pattern of answers (how each model's answer compares with the RFC's): the
smallest one, the patterns where models disagree most first; then, while fewer than --per-kind
(50) are kept, one more of each pattern in turn, drawn with a fixed seed (8461). The kind's
directory is replaced with the selection (files named by the SHA-1 of their bytes, 16 digits).
"""
import argparse
import base64
import glob
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import grid  # noqa: E402

MAX_BYTES = 512


def inputs_of(target, data):
    """(kind, bytes) as the fuzz target reads this corpus file, or None."""
    text = lambda b: b.decode("utf-8", "replace").encode("utf-8")  # noqa: E731 (as from_utf8_lossy)
    if target == "policy":
        return "policy", data
    if target == "sts_txt":
        return "sts-txt", text(data)
    if target == "mx_match":
        return "match", text(data)
    if target == "senders" and data:
        k, rest = data[0] % 4, data[1:]
        if k == 0:
            return "policy", rest
        if k == 1:
            return ("response", rest) if rest else None
        return ("sts-txt" if k == 2 else "match"), text(rest)
    return None


def seed(corpus):
    """The conformance vectors as inputs of the fuzz targets."""
    out = {"policy": [], "sts_txt": [], "mx_match": [], "senders": []}
    with open(grid.OUT, encoding="utf-8") as f:
        for v in map(json.loads, f):
            for kind, data in as_inputs(v):
                if kind == "policy":
                    out["policy"].append(data)
                    out["senders"].append(b"\x00" + data)
                elif kind == "response":
                    out["senders"].append(b"\x01" + data)
                elif kind == "sts-txt":
                    out["sts_txt"].append(data)
                    out["senders"].append(b"\x02" + data)
                else:
                    out["mx_match"].append(data)
                    out["senders"].append(b"\x03" + data)
    for target, files in out.items():
        os.makedirs(os.path.join(corpus, target), exist_ok=True)
        for data in files:
            with open(os.path.join(corpus, target, "seed-" + hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
        print(f"{target}: {len(files)} seeds")


def as_inputs(v):
    """A vector (not of the fuzzer category) as the (kind, bytes) inputs that read as it."""
    if v.get("category") == "fuzzer":
        return []
    if v["kind"] == "sts-txt":
        return [("sts-txt", "\0".join(v["records"]).encode("utf-8"))] if v["records"] else []
    if v["kind"] == "match":
        return [("match", (v["pattern"] + "\0" + v["host"]).encode("utf-8"))]
    body = base64.b64decode(v["body_base64"])
    out = []
    if v["status"] == 200 and v["content_type"] == "text/plain":
        out.append(("policy", body))
    ct = (v["content_type"] or "").encode("utf-8")
    if v["status"] in grid.FUZZER_STATUSES and b"\n" not in ct:
        out.append(("response", bytes([grid.FUZZER_STATUSES.index(v["status"])]) + ct + b"\n" + body))
    return out


def known():
    """The inputs that are already vectors of another category."""
    with open(grid.OUT, encoding="utf-8") as f:
        return {i for v in map(json.loads, f) for i in as_inputs(v)}


def txt_answer_bytes(records):
    """The size of the stub DNS servers' answer for these records at _mta-sts.example.com: header,
    question, and per record 12 bytes and its character-strings of at most 255 bytes."""
    def rdata(r):
        b = r.encode("utf-8")
        return max(1, -(-len(b) // 255)) + len(b)
    return 12 + 26 + sum(12 + rdata(r) for r in records)


def carried(kind, data):
    """Can every adapter carry this input as it is?"""
    if len(data) > MAX_BYTES:
        return False
    if kind == "response":
        ct = data[1:].partition(b"\n")[0]
        return all(0x20 <= b < 0x7F for b in ct)
    if kind == "sts-txt":
        return txt_answer_bytes(data.decode("utf-8").split("\0")) <= 512
    if kind == "match":
        pattern, _, host = data.decode("utf-8").partition("\0")
        return ("\r" not in pattern and "\n" not in pattern
                and host != "" and all(0x21 <= ord(ch) < 0x7F for ch in host))
    return True


def relation(kind, a, r):
    """How one model's answer compares with the RFC's."""
    if kind == "match":
        return str(a.get("matches"))
    if a == r:
        return "="
    if a.get("outcome") != "policy":
        return "none"
    if r.get("outcome") != "policy":
        return "policy"
    if kind == "sts-txt":
        return "id"
    pa, pr = a.get("policy", {}), r.get("policy", {})
    return "+".join(f for f in ("mode", "max_age", "mx") if pa.get(f) != pr.get(f))


def signatures(mtasts, found):
    grid.vectors.clear()
    for i, (kind, data) in enumerate(found):
        grid.fuzzer_input(kind, f"f{i}", data)
    grid.expectations(mtasts)
    out = []
    for (kind, _), v in zip(found, grid.vectors):
        r = v["rfc"]
        rels = tuple(relation(v["kind"], a, r) for a in v["senders"].values())
        out.append((relation(v["kind"], r, {}) if kind == "match" else r.get("outcome"),) + rels)
    return out


def pick(groups, cap):
    """The smallest input of each answer pattern, the patterns where models disagree most first;
    then, while under `cap`, one more input of each pattern in turn, drawn with a fixed seed."""
    rng = random.Random(8461)
    ranked = sorted(groups.items(), key=lambda g: (-len(set(g[0][1:])), min(map(len, g[1])), g[0]))
    pools = [sorted(members, key=lambda d: (len(d), d)) for _, members in ranked]
    keep = [pool.pop(0) for pool in pools][:cap]
    while len(keep) < cap and any(pools):
        for pool in pools:
            if pool and len(keep) < cap:
                keep.append(pool.pop(rng.randrange(len(pool))))
    return keep


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["seed", "select"])
    ap.add_argument("--mtasts", default=os.path.join(grid.ROOT, "target/debug/mtasts"))
    ap.add_argument("--per-kind", type=int, default=50)
    ap.add_argument("corpora", nargs="+", help="seed: DIR; select: TARGET=DIR...")
    args = ap.parse_args()
    if args.command == "seed":
        return seed(args.corpora[0])
    found, seen = [], known()
    for spec in args.corpora:
        target, _, d = spec.partition("=")
        for path in sorted(glob.glob(os.path.join(d, "*"))):
            with open(path, "rb") as f:
                got = inputs_of(target, f.read())
            if got and got not in seen and carried(*got):
                seen.add(got)
                found.append(got)
    sigs = signatures(args.mtasts, found)
    for kind in grid.FUZZER_KINDS:
        groups = {}
        for (k, data), sig in zip(found, sigs):
            if k == kind:
                groups.setdefault(sig, []).append(data)
        keep = pick(groups, args.per_kind)
        d = os.path.join(grid.FUZZER, kind)
        os.makedirs(d, exist_ok=True)
        for old in glob.glob(os.path.join(d, "*")):
            os.remove(old)
        for data in keep:
            with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
                f.write(data)
        n = sum(1 for k, _ in found if k == kind)
        print(f"{kind}: {n} inputs, {len(groups)} answer patterns, {len(keep)} kept "
              f"({sum(map(len, keep))} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
