#!/usr/bin/env bash
# Feeds the mail-auth adapter a few requests and prints its answers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/run" <<'JSON'
{"id":"plain","kind":"sts-txt","records":["v=STSv1; id=20240101"]}
{"id":"two-valid","kind":"sts-txt","records":["v=STSv1; id=first","v=STSv1; id=second"]}
{"id":"unrelated-first","kind":"sts-txt","records":["hello world","v=STSv1; id=abc"]}
{"id":"lower-version","kind":"sts-txt","records":["v=stsv1; id=abc"]}
{"id":"id-first","kind":"sts-txt","records":["id=abc; v=STSv1"]}
{"id":"empty-id","kind":"sts-txt","records":["v=STSv1; id="]}
{"id":"no-records","kind":"sts-txt","records":[]}
{"id":"policy","kind":"policy","status":200,"content_type":"text/plain","body_base64":""}
{"id":"match","kind":"match","pattern":"*.example.com","host":"mx.example.com"}
JSON
