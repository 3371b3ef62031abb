#!/usr/bin/env python3
"""Runs the steps of a composite GitHub Action (action.yml) as a runner would, for tests:

    python3 scripts/run-action.py ACTION_DIR WORKDIR KEY=VALUE...   (inputs)

Each `run` step runs with bash in WORKDIR, its `env` evaluated (`${{ inputs.X }}`, `${{ github.X }}`,
`${{ steps.ID.outputs.X }}`), with GITHUB_OUTPUT and GITHUB_PATH files read back after it as the
runner does. A `uses` step is not run (it is another action): it is printed with its `with`
evaluated, so the test can check what it would get. `if:` understands `always()`, `==` and
`!=` against string literals, and `&&`. Exits with the status of the first failing step, as a
job does (later steps with `always()` still run). PyYAML is needed (pre-commit brings it).
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def main():
    action_dir, workdir = sys.argv[1], sys.argv[2]
    given = dict(a.split("=", 1) for a in sys.argv[3:])
    with open(os.path.join(action_dir, "action.yml")) as f:
        action = yaml.safe_load(f)
    inputs = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    inputs.update(given)
    ctx = {
        "inputs": inputs,
        "github": {"action_path": os.path.abspath(action_dir), "action_ref": "test"},
        "steps": {},
    }
    env = dict(os.environ)
    failed = 0
    for step in action["runs"]["steps"]:
        cond = step.get("if", "")
        if not condition(cond, ctx, failed):
            print(f"run-action: skipped: {step.get('name')}")
            continue
        if "uses" in step:
            with_ = {k: evaluate(str(v), ctx) for k, v in step.get("with", {}).items()}
            print(f"run-action: uses {step['uses']} with {with_}")
            continue
        with tempfile.NamedTemporaryFile("r", delete=False) as out, \
                tempfile.NamedTemporaryFile("r", delete=False) as path:
            step_env = dict(env)
            step_env.update({k: evaluate(str(v), ctx) for k, v in step.get("env", {}).items()})
            step_env["GITHUB_OUTPUT"] = out.name
            step_env["GITHUB_PATH"] = path.name
            print(f"run-action: {step.get('name')}", flush=True)
            rc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workdir, env=step_env, stdin=subprocess.DEVNULL,
            ).returncode
            outputs = dict(
                line.rstrip("\n").split("=", 1) for line in open(out.name) if "=" in line
            )
            for p in open(path.name).read().split():
                env["PATH"] = p + os.pathsep + env["PATH"]
        if "id" in step:
            ctx["steps"][step["id"]] = {"outputs": outputs}
        if rc != 0 and not failed:
            print(f"run-action: step failed with {rc}: {step.get('name')}")
            failed = rc
    sys.exit(failed)


def lookup(path, ctx):
    v = ctx
    for part in path.split("."):
        if not isinstance(v, dict):
            return ""
        v = v.get(part, "")
    return v if isinstance(v, str) else ""


def evaluate(text, ctx):
    return EXPR.sub(lambda m: value(m.group(1), ctx), text)


def value(expr, ctx):
    expr = expr.strip()
    if expr.startswith("'") and expr.endswith("'"):
        return expr[1:-1]
    return lookup(expr, ctx)


def condition(cond, ctx, failed):
    cond = EXPR.sub(lambda m: m.group(1), str(cond)).strip()
    if not cond:
        return not failed
    parts = [p.strip() for p in cond.split("&&")]
    always = "always()" in parts
    for p in parts:
        if p == "always()":
            continue
        m = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", p)
        if not m:
            raise SystemExit(f"run-action: cannot evaluate `{p}`")
        a, op, b = value(m.group(1), ctx), m.group(2), value(m.group(3), ctx)
        if (a == b) != (op == "=="):
            return False
    return always or not failed


if __name__ == "__main__":
    main()
