#!/usr/bin/env python3
"""Progress on stderr only at a terminal (issue 23): runs `mtasts` with its standard error on a
pseudo-terminal and checks that progress is drawn there, and that it is not with CI set, in a
machine format, or when standard error is a pipe. No network: the domains are refused inputs
(`.test` without --allow-test-domains), the reports are the test fixtures.

    python3 scripts/progress-pty.py PATH/TO/mtasts
"""

import os
import pty
import subprocess
import sys
import threading

MTASTS = sys.argv[1]
DOMAINS = "".join(f"d{i}.test\n" for i in range(40)).encode()


def run(args, stdin=b"", ci=None, tty=True):
    env = dict(os.environ)
    env.pop("CI", None)
    if ci is not None:
        env["CI"] = ci
    if not tty:
        p = subprocess.run([MTASTS, *args], input=stdin, capture_output=True, env=env)
        return p.returncode, p.stderr
    master, slave = pty.openpty()
    p = subprocess.Popen([MTASTS, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=slave, env=env)
    os.close(slave)
    got = bytearray()

    def drain():
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            got.extend(chunk)

    t = threading.Thread(target=drain)
    t.start()
    p.communicate(stdin)
    t.join(timeout=10)
    os.close(master)
    return p.returncode, bytes(got)


def check(cond, what, data):
    if not cond:
        print(f"progress-pty: FAILED: {what}\n{data!r}", file=sys.stderr)
        sys.exit(1)


rc, err = run(["check", "-"], DOMAINS)
check(rc == 2, "refused inputs exit 2", err)
check(b"/40 domains" in err, "progress drawn on a terminal", err)
check(b"failed" in err, "failures so far counted", err)
for what, kwargs, args in [
    ("CI set", {"ci": "true"}, ["check", "-"]),
    ("a machine format", {}, ["check", "--format", "jsonl", "-"]),
    ("a pipe", {"tty": False}, ["check", "-"]),
]:
    rc, err = run(args, DOMAINS, **kwargs)
    check(b"domains [" not in err and b"/40" not in err, f"no progress with {what}", err)
rc, err = run(["reports", "tests/fixtures/tlsrpt"])
check(b" files [" in err, "progress over report files", err)
rc, err = run(["reports", "--format", "json", "tests/fixtures/tlsrpt"])
check(b" files [" not in err, "no progress in JSON", err)
print("progress-pty: progress on a terminal only (not with CI, JSON or a pipe)")
