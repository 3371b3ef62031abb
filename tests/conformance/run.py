#!/usr/bin/env python3
"""The MTA-STS conformance runner: feeds every vector to an adapter (PROTOCOL.md) and compares.

    # How does an implementation read MTA-STS, compared with RFC 8461?
    python3 tests/conformance/run.py -- ADAPTER-COMMAND [ARGS...]
    # Does a model agree with the real implementation on every vector? (exit 1 if not)
    python3 tests/conformance/run.py --same-as "target/debug/mtasts senders adapter mox" -- ADAPTER...

Options: --vectors FILE (default: vectors.jsonl beside this script), --kinds policy,sts-txt,match,
--json OUT (write every answer and the per-category figures), --quiet.
Answers are compared on `outcome` and, for a policy, `mode`, `max_age` (in whole seconds) and `mx`;
for a TXT set, `id`; for a match, `matches`. `reason` is never compared. `unsupported` answers are counted apart.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOCOL_KEYS = ("vector", "kind", "records", "status", "content_type", "body_base64", "pattern", "host")


def ask(command, vectors):
    """Runs the adapter once over every vector; returns its answers in order."""
    reqs = "".join(json.dumps({k: v[k] for k in PROTOCOL_KEYS if k in v}) + "\n" for v in vectors)
    proc = subprocess.run(command, input=reqs.encode(), stdout=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        sys.exit(f"conformance: adapter {shlex.join(command)} exited {proc.returncode}")
    answers = [json.loads(l) for l in proc.stdout.decode("utf-8").splitlines() if l.strip()]
    if len(answers) != len(vectors):
        sys.exit(f"conformance: {len(answers)} answers for {len(vectors)} vectors from {shlex.join(command)}")
    for v, a in zip(vectors, answers):
        if a.get("vector") != v["vector"]:
            sys.exit(f"conformance: answer {a.get('vector')!r} out of order (expected {v['vector']!r})")
        if "error" in a:
            sys.exit(f"conformance: the adapter could not read vector {v['vector']}: {a['error']}")
    return answers


def essence(kind, answer):
    """What is compared of an answer."""
    if answer.get("outcome") == "unsupported":
        return "unsupported"
    if kind == "match":
        return {"matches": bool(answer.get("matches"))}
    e = {"outcome": answer.get("outcome")}
    if e["outcome"] == "policy":
        if kind == "policy":
            p = answer.get("policy") or {}
            age = p.get("max_age")
            # Whole seconds (PROTOCOL.md): mailauth keeps `max_age: 315.57600` as 315.576.
            if isinstance(age, float) and age == age and abs(age) != float("inf"):
                age = int(age)
            e["policy"] = {"mode": p.get("mode"), "max_age": age, "mx": p.get("mx")}
        elif "id" in answer:
            # An implementation that never reads the record's id answers without the key.
            e["id"] = answer.get("id")
    return e


def same(kind, real, model):
    """Does the model's answer agree with the real implementation's?"""
    a, b = essence(kind, real), essence(kind, model)
    if isinstance(a, dict) and isinstance(b, dict) and kind == "sts-txt" and "id" not in a:
        b.pop("id", None)
    return a == b


def show(v):
    keep = {k: v[k] for k in PROTOCOL_KEYS if k in v and k != "body_base64"}
    if "body_base64" in v:
        import base64
        body = base64.b64decode(v["body_base64"])
        keep["body"] = body[:400].decode("utf-8", "backslashreplace") + ("…" if len(body) > 400 else "")
        keep["body_bytes"] = len(body)
    return json.dumps(keep, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vectors", default=os.path.join(HERE, "vectors.jsonl"))
    ap.add_argument("--kinds", default="policy,sts-txt,match")
    ap.add_argument("--same-as", help="a second adapter command that must agree on every vector")
    ap.add_argument("--json", help="write the answers and figures here")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("adapter", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.adapter[1:] if args.adapter[:1] == ["--"] else args.adapter
    if not command:
        ap.error("give the adapter command after --")
    kinds = set(args.kinds.split(","))
    with open(args.vectors, encoding="utf-8") as f:
        vectors = [v for v in (json.loads(l) for l in f if l.strip()) if v["kind"] in kinds]
    answers = ask(command, vectors)

    if args.same_as:
        other = ask(shlex.split(args.same_as), vectors)
        wrong = [(v, a, b) for v, a, b in zip(vectors, answers, other)
                 if essence(v["kind"], a) != "unsupported" and not same(v["kind"], a, b)]
        compared = sum(1 for v, a in zip(vectors, answers) if essence(v["kind"], a) != "unsupported")
        for v, a, b in wrong:
            print(f"DISAGREE {v['vector']}: {show(v)}\n  real:  {json.dumps(a, ensure_ascii=False)}\n"
                  f"  model: {json.dumps(b, ensure_ascii=False)}")
        print(f"{len(wrong)} disagreement(s) in {compared} vectors compared "
              f"({len(vectors) - compared} unsupported by the real implementation)")
        return 1 if wrong else 0

    figures = OrderedDict()
    differences = []
    for v, a in zip(vectors, answers):
        got, want = essence(v["kind"], a), essence(v["kind"], v["rfc"])
        f = figures.setdefault(v["category"], {"agree": 0, "differ": 0, "unsupported": 0})
        if got == "unsupported":
            f["unsupported"] += 1
        elif got == want:
            f["agree"] += 1
        else:
            f["differ"] += 1
            differences.append({"vector": v["vector"], "category": v["category"], "section": v["section"],
                                "rfc": v["rfc"], "got": a})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"figures": figures, "differences": differences,
                       "answers": [dict(a, vector=v["vector"]) for v, a in zip(vectors, answers)]}, f,
                      ensure_ascii=False, indent=1)
    if not args.quiet:
        for d in differences:
            print(f"{d['vector']} ({d['section']}): RFC {json.dumps(d['rfc'], ensure_ascii=False)}; "
                  f"got {json.dumps(essence(next(v['kind'] for v in vectors if v['vector'] == d['vector']), d['got']), ensure_ascii=False)}")
        for cat, f in figures.items():
            total = f["agree"] + f["differ"]
            print(f"{cat:<16} {f['agree']:>4}/{total:<4} agree with RFC 8461" +
                  (f"  ({f['unsupported']} unsupported)" if f["unsupported"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
