#!/usr/bin/env bash
# Feeds a few requests to the postfix-mta-sts-resolver adapter and prints its answers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
b64() { printf '%b' "$1" | base64 -w0; }
ok='version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.com\r\nmax_age: 86400\r\n'
"$here/run" <<EOR
{"id":"txt-one","kind":"sts-txt","records":["v=STSv1; id=20240101", "v=spf1 -all"]}
{"id":"txt-two","kind":"sts-txt","records":["v=STSv1; id=a", "v=STSv1; id=b"]}
{"id":"policy-ok","kind":"policy","status":200,"content_type":"text/plain","body_base64":"$(b64 "$ok")"}
{"id":"policy-trailing-blank","kind":"policy","status":200,"content_type":"text/plain","body_base64":"$(b64 "$ok\r\n")"}
{"id":"policy-no-content-type","kind":"policy","status":200,"content_type":null,"body_base64":"$(b64 "$ok")"}
{"id":"policy-e9-no-charset","kind":"policy","status":200,"content_type":"text/plain","body_base64":"$(b64 "${ok}note: caf\xc3\xa9\r\n")"}
{"id":"policy-mode-twice","kind":"policy","status":200,"content_type":"text/plain","body_base64":"$(b64 "${ok}mode: testing\r\n")"}
{"id":"policy-404","kind":"policy","status":404,"content_type":"text/plain","body_base64":"$(b64 "$ok")"}
{"id":"match-wildcard-depth","kind":"match","pattern":"*.example.com","host":"a.b.example.com"}
{"id":"match-trailing-dot","kind":"match","pattern":"mail.example.com.","host":"mail.example.com"}
{"id":"match-parent","kind":"match","pattern":"*.example.com","host":"example.com"}
EOR
