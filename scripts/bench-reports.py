#!/usr/bin/env python3
"""Writes N sample TLS reports (a third .json, a third .json.gz, a third .eml) into DIR.

Each report has a few policies and failure details, like a large sender's daily report. Used by
scripts/bench-reports.sh and the page's benchmark; stable output for a given N.
"""
import base64, gzip, json, os, random, sys

def report(i, rng):
    day = 1 + i % 28
    details = [
        {"result-type": rng.choice(["certificate-host-mismatch", "starttls-not-supported", "certificate-expired", "validation-failure"]),
         "sending-mta-ip": f"192.0.2.{rng.randrange(1, 255)}",
         "receiving-mx-hostname": f"mx{rng.randrange(1, 4)}.example.net",
         "receiving-ip": f"198.51.100.{rng.randrange(1, 255)}",
         "failed-session-count": rng.randrange(1, 50)}
        for _ in range(rng.randrange(0, 8))
    ]
    return {
        "organization-name": f"Sender {i % 40}",
        "date-range": {"start-datetime": f"2026-10-{day:02d}T00:00:00Z", "end-datetime": f"2026-10-{day:02d}T23:59:59Z"},
        "contact-info": "smtp-tls-reporting@sender.example",
        "report-id": f"bench-{i}",
        "policies": [{
            "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: testing", "mx: *.example.net", "max_age: 604800"],
                       "policy-domain": "example.net", "mx-host": ["*.example.net"]},
            "summary": {"total-successful-session-count": rng.randrange(100, 100000),
                        "total-failure-session-count": sum(d["failed-session-count"] for d in details)},
            "failure-details": details,
        }],
    }

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(8460)
    for i in range(n):
        body = json.dumps(report(i, rng), indent=2)
        name = f"sender{i % 40}.example!example.net!{1790000000 + i}!{1790086399 + i}!{i}"
        if i % 3 == 0:
            open(os.path.join(out, name + ".json"), "w").write(body)
        elif i % 3 == 1:
            open(os.path.join(out, name + ".json.gz"), "wb").write(gzip.compress(body.encode(), mtime=0))
        else:
            payload = base64.encodebytes(gzip.compress(body.encode(), mtime=0)).decode().replace("\n", "\r\n")
            msg = ("Subject: Report Domain: example.net Submitter: sender.example Report-ID: <%d>\r\n"
                   "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=tlsrpt; boundary=\"b\"\r\n\r\n"
                   "--b\r\nContent-Type: text/plain\r\n\r\nA TLS report.\r\n"
                   "--b\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n"
                   "Content-Disposition: attachment; filename=\"%s.json.gz\"\r\n\r\n%s--b--\r\n") % (i, name, payload)
            open(os.path.join(out, name + ".eml"), "w").write(msg)

main()
