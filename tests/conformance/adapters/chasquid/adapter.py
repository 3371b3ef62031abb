"""chasquid adapter: answers PROTOCOL.md requests by running Debian's smtp-check (chasquid
1.11) against stub DNS and HTTPS. Runs inside the private namespace made by ./run."""
import base64, json, os, re, socket, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = sys.argv[1]
SMTP_CHECK = os.path.join(DIR, "pkg/usr/bin/smtp-check")
DOMAIN = "example.com"
GOOD = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n"


def write(name, obj):
    tmp = os.path.join(DIR, name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(obj, f)
    os.replace(tmp, os.path.join(DIR, name))


def setup():
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    with open(os.path.join(DIR, "resolv.conf"), "w") as f:
        f.write("nameserver 127.0.0.1\n")
    subprocess.run(["mount", "--bind", os.path.join(DIR, "resolv.conf"), "/etc/resolv.conf"], check=True)
    write("dns.json", {})
    write("resp.json", {"status": 200, "body_b64": ""})
    procs = [
        subprocess.Popen([sys.executable, os.path.join(HERE, "stub_dns.py"), os.path.join(DIR, "dns.json")]),
        subprocess.Popen([sys.executable, os.path.join(HERE, "stub_https.py"), os.path.join(DIR, "resp.json"),
                          os.path.join(DIR, "srv.pem"), os.path.join(DIR, "srv.key")]),
    ]
    wait_for_stubs()
    return procs


def wait_for_stubs(timeout=60):
    """Waits until the stub HTTPS server accepts and the stub DNS server answers (a fixed sleep
    lost the first vector to "connection refused" on a loaded machine)."""
    query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01"
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", 443), timeout=1).close()
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.settimeout(1)
                s.sendto(query, ("127.0.0.1", 53))
                s.recvfrom(512)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def check(txt, status, content_type, body, mx_host="mail.example.com"):
    """Runs smtp-check once; returns its log lines (split on LF only: a CR may be data)."""
    zones = {
        "_mta-sts." + DOMAIN: {"TXT": txt},
        "mta-sts." + DOMAIN: {"A": "127.0.0.1"},
        DOMAIN: {"MX": [[10, mx_host]]},
    }
    zones.setdefault(mx_host.lower().rstrip("."), {})["A"] = "127.0.0.1"
    write("dns.json", zones)
    write("resp.json", {"status": status, "content_type": content_type,
                        "body_b64": base64.b64encode(body).decode()})
    env = dict(os.environ, SSL_CERT_FILE=os.path.join(DIR, "ca.pem"))
    r = subprocess.run([SMTP_CHECK, "-skip_tls_check", DOMAIN], capture_output=True, env=env, timeout=60)
    return (r.stdout + r.stderr).decode("utf-8", "replace").split("\n")


PARSED = re.compile(r"Parsed contents:  \[\{Version:(.*) Mode:(.*) MXs:\[(.*)\] MaxAge:(\S+)\}\]$")
UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def duration_seconds(d):
    """A Go time.Duration string (24h0m0s, 290.448384ms) in whole seconds."""
    total = sum(float(n) * UNITS[u] for n, u in re.findall(r"([0-9.]+)(h|ms|us|µs|ns|m|s)", d))
    return int(total + 1e-9)


def reading(lines):
    for line in lines:
        if "Not available (" in line:
            return {"outcome": "no-policy", "reason": line.split("Not available (", 1)[1].rstrip(")")}
    parsed = next((PARSED.search(l) for l in lines if PARSED.search(l)), None)
    invalid = next((l.split("Invalid: ", 1)[1] for l in lines if "Invalid: " in l), None)
    if parsed is None:
        return {"outcome": "no-policy", "reason": "no parsed policy printed"}
    if invalid is not None:
        return {"outcome": "no-policy", "reason": invalid}
    _, mode, mxs, max_age = parsed.groups()
    return {"outcome": "policy", "policy": {
        "mode": mode, "max_age": duration_seconds(max_age),
        # Go prints the list space-separated: an mx value with a space inside is ambiguous.
        "mx": [m.lower() for m in mxs.split(" ")] if mxs else []}}


def mx_ambiguous(body):
    # Lines as chasquid splits them: on LF only (a CR inside a line is part of the value).
    for line in body.split(b"\n"):
        key, sep, value = line.partition(b":")
        if sep and key.strip() == b"mx" and (not value.strip() or b" " in value.strip()):
            return True
    return False


def answer(req):
    kind = req.get("kind")
    if kind == "sts-txt":
        r = reading(check(req["records"], 200, "text/plain", GOOD.encode()))
        if r["outcome"] == "policy":
            # chasquid never reads the record's id: the answer has no "id" key (PROTOCOL.md).
            return {"outcome": "policy"}
        return r
    if kind == "policy":
        body = base64.b64decode(req["body_base64"])
        if mx_ambiguous(body):
            # smtp-check prints the mx list space-separated: an empty value or one with a space
            # inside cannot be told apart in its output, so this vector is not compared.
            return {"outcome": "unsupported"}
        return reading(check(["v=STSv1; id=1"], req["status"], req.get("content_type"),
                             base64.b64decode(req["body_base64"])))
    if kind == "match":
        pattern, host = req["pattern"], req["host"]
        if "\n" in pattern or "\r" in pattern or not host.strip(".") or ".." in host:
            return {"outcome": "unsupported"}
        body = "version: STSv1\nmode: enforce\nmx: %s\nmax_age: 86400\n" % pattern
        lines = check(["v=STSv1; id=1"], 200, "text/plain", body.encode(), mx_host=host)
        if any("NOT allowed by STS policy" in l for l in lines):
            return {"matches": False}
        if any("Allowed by policy" in l for l in lines):
            return {"matches": True}
        return {"outcome": "unsupported"}  # smtp-check stopped before matching
    return {"outcome": "unsupported"}


def main():
    procs = setup()
    try:
        for raw in sys.stdin:
            if not raw.strip():
                continue
            req = json.loads(raw)
            out = {"vector": req.get("vector")}
            out.update(answer(req))
            sys.stdout.write(json.dumps(out) + "\n")
            sys.stdout.flush()
    finally:
        for p in procs:
            p.terminate()


if __name__ == "__main__":
    main()
