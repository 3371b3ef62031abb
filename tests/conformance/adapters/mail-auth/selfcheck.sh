#!/usr/bin/env bash
# Feeds the mail-auth adapter a few requests and prints its answers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/run" <<'JSON'
{"vector":"plain","kind":"sts-txt","records":["v=STSv1; id=20240101"]}
{"vector":"two-valid","kind":"sts-txt","records":["v=STSv1; id=first","v=STSv1; id=second"]}
{"vector":"unrelated-first","kind":"sts-txt","records":["hello world","v=STSv1; id=abc"]}
{"vector":"lower-version","kind":"sts-txt","records":["v=stsv1; id=abc"]}
{"vector":"id-first","kind":"sts-txt","records":["id=abc; v=STSv1"]}
{"vector":"empty-id","kind":"sts-txt","records":["v=STSv1; id="]}
{"vector":"no-records","kind":"sts-txt","records":[]}
{"vector":"policy","kind":"policy","status":200,"content_type":"text/plain","body_base64":""}
{"vector":"match","kind":"match","pattern":"*.example.com","host":"mx.example.com"}
JSON
