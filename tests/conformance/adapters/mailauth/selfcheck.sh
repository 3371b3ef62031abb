#!/usr/bin/env bash
# Feeds a few requests to the mailauth adapter, in each of its three readings, and prints the answers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
body() { printf '%b' "$1" | base64 -w0; }
valid="$(body 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n')"
requests="$(cat <<JSON
{"id":"txt-plain","kind":"sts-txt","records":["v=STSv1; id=20240101"]}
{"id":"txt-two","kind":"sts-txt","records":["v=STSv1; id=a","v=STSv1; id=b"]}
{"id":"txt-lower","kind":"sts-txt","records":["v=stsv1; id=abc"]}
{"id":"txt-two-ids","kind":"sts-txt","records":["v=STSv1; id=abc; id=def"]}
{"id":"policy-valid","kind":"policy","status":200,"content_type":"text/plain","body_base64":"$valid"}
{"id":"policy-html","kind":"policy","status":200,"content_type":"text/html","body_base64":"$valid"}
{"id":"policy-404","kind":"policy","status":404,"content_type":"text/plain","body_base64":"$valid"}
{"id":"policy-two-modes","kind":"policy","status":200,"content_type":"text/plain","body_base64":"$(body 'version: STSv1\nmode: enforce\nmode: testing\nmx: mail.example.com\nmax_age: 86400\n')"}
{"id":"match-one-label","kind":"match","pattern":"*.example.com","host":"mail.example.com"}
{"id":"match-two-labels","kind":"match","pattern":"*.example.com","host":"a.b.example.com"}
{"id":"match-trailing-dot","kind":"match","pattern":"mail.example.com.","host":"mail.example.com"}
JSON
)"
for reading in 5 7 7-strict; do
    echo "== mailauth adapter, reading $reading"
    printf '%s\n' "$requests" | "$here/run" "$reading"
done
