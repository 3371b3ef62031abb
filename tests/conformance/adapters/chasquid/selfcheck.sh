#!/usr/bin/env bash
# Feeds the chasquid adapter a few requests and prints its answers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
b64() { printf '%b' "$1" | base64 -w0; }
good='version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n'
{
  echo '{"vector":"txt-ok","kind":"sts-txt","records":["hello","v=STSv1; id=abc"]}'
  echo '{"vector":"txt-space","kind":"sts-txt","records":["v=STSv1 ; id=abc"]}'
  echo "{\"id\":\"policy-ok\",\"kind\":\"policy\",\"status\":200,\"content_type\":\"text/plain\",\"body_base64\":\"$(b64 "$good")\"}"
  echo "{\"id\":\"policy-trailing-blank\",\"kind\":\"policy\",\"status\":200,\"content_type\":\"text/plain\",\"body_base64\":\"$(b64 "$good\n")\"}"
  echo "{\"id\":\"policy-no-ct\",\"kind\":\"policy\",\"status\":200,\"content_type\":null,\"body_base64\":\"$(b64 "$good")\"}"
  echo "{\"id\":\"policy-404\",\"kind\":\"policy\",\"status\":404,\"content_type\":\"text/plain\",\"body_base64\":\"$(b64 "$good")\"}"
  echo '{"vector":"match-wild","kind":"match","pattern":"*.example.com","host":"mail.example.com"}'
  echo '{"vector":"match-deep","kind":"match","pattern":"*.example.com","host":"a.b.example.com"}'
  echo '{"vector":"match-dot","kind":"match","pattern":"mail.example.com.","host":"mail.example.com"}'
} | "$here/run"
