"""Conformance adapter for postfix-mta-sts-resolver 1.5.1 (tests/conformance/PROTOCOL.md).

Every answer comes from the package's own code:

* `sts-txt` and `policy` run `STSResolver.resolve("example.com")`, its real discovery, fetch and
  parse. DNS is stubbed at the lowest seam of aiodns: the pycares channel it queries answers
  with real `pycares.DNSResult` objects, so aiodns' own conversion of TXT data runs. HTTP is
  stubbed at the aiohttp seam: the request the resolver makes goes, through aiohttp's real
  client, to a local server that writes the vector's status, Content-Type and body, so the
  resolver's status, Content-Type, Content-Length, size and charset logic and aiohttp's own
  header and charset parsing all run.
* `match` runs the package's socketmap responder (`STSSocketmapResponder.process_request`) on
  a policy whose only `mx` line is the pattern, and takes the `match=` answer it builds for
  Postfix. What Postfix then does with that answer is *not* run (there is no Postfix here):
  `postfix_accepts` below is a model of Postfix, written from its source (see the Rust model's
  doc comment for the files), and the one part of this adapter that is not the real thing.
"""

import asyncio
import base64
import json
import logging
import sys
import warnings

import aiohttp
import idna
import pycares

from postfix_mta_sts_resolver import utils as pmsr_utils
from postfix_mta_sts_resolver.responder import STSSocketmapResponder
from postfix_mta_sts_resolver.resolver import STSFetchResult, STSResolver

warnings.simplefilter("ignore", DeprecationWarning)
logging.disable(logging.CRITICAL)

DOMAIN = "example.com"
GOOD_POLICY = b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n"


# --- DNS: the pycares channel aiodns queries ----------------------------------------------

class FakeChannel:
    """Stands in for the pycares.Channel inside aiodns.DNSResolver; answers TXT queries."""

    def __init__(self, records):
        self.records = records

    def close(self):
        pass

    def query(self, name, query_type, *, query_class=pycares.QUERY_CLASS_IN, callback):
        if not self.records:
            callback(None, pycares.errno.ARES_ENODATA)
            return
        answer = [
            pycares.DNSRecord(
                name=name,
                type=pycares.QUERY_TYPE_TXT,
                record_class=query_class,
                ttl=300,
                data=pycares.TXTRecordData(data=rec.encode("utf-8")),
            )
            for rec in self.records
        ]
        callback(pycares.DNSResult(answer=answer, authority=[], additional=[]), None)


# --- HTTP: a local server that writes the vector's response ------------------------------

class Http:
    def __init__(self):
        self.response = (200, "text/plain", GOOD_POLICY)
        self.server = None
        self.port = None

    async def start(self):
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def handle(self, reader, writer):
        try:
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
            status, content_type, body = self.response
            head = f"HTTP/1.1 {status} Status\r\n"
            if content_type is not None:
                head += f"Content-Type: {content_type}\r\n"
            head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            writer.write(head.encode("latin-1") + body)
            await writer.drain()
        finally:
            writer.close()


HTTP = Http()
_RealSession = aiohttp.ClientSession


class LocalSession(_RealSession):
    """aiohttp's real ClientSession, with the resolver's URL pointed at the local server."""

    def get(self, url, **kwargs):
        assert str(url) == f"https://mta-sts.{DOMAIN}/.well-known/mta-sts.txt", url
        return super().get(f"http://127.0.0.1:{HTTP.port}/.well-known/mta-sts.txt", **kwargs)


aiohttp.ClientSession = LocalSession  # the resolver looks it up on the module at each fetch


def stub_dns(resolver, records):
    dns = resolver._resolver  # the aiodns.DNSResolver the package made
    dns._channel.close()
    dns._channel = FakeChannel(records)


# --- the three questions ------------------------------------------------------------------

async def resolve(records, response):
    HTTP.response = response
    res = STSResolver(loop=asyncio.get_running_loop())
    stub_dns(res, records)
    return await res.resolve(DOMAIN)


async def sts_txt(req):
    status, result = await resolve(req["records"], (200, "text/plain", GOOD_POLICY))
    if status is STSFetchResult.VALID:
        return {"outcome": "policy", "id": result[0]}
    return {"outcome": "no-policy", "reason": f"resolver result {status.name}"}


async def policy(req):
    body = base64.b64decode(req["body_base64"])
    response = (req["status"], req.get("content_type"), body)
    status, result = await resolve(["v=STSv1; id=1"], response)
    if status is STSFetchResult.VALID:
        pol = result[1]
        return {
            "outcome": "policy",
            "policy": {"mode": pol["mode"], "max_age": pol["max_age"], "mx": pol["mx"]},
        }
    return {"outcome": "no-policy", "reason": f"resolver result {status.name}"}


async def responder_answer(pattern):
    """The netstring payload the package's responder hands Postfix for a one-mx policy."""
    body = ("version: STSv1\nmode: enforce\nmx: " + pattern + "\nmax_age: 86400\n").encode()
    HTTP.response = (200, "text/plain; charset=utf-8", body)
    cfg = pmsr_utils.populate_cfg_defaults(None)
    cache = pmsr_utils.create_cache("internal", {"cache_size": 10})
    await cache.setup()
    responder = STSSocketmapResponder(cfg, asyncio.get_running_loop(), cache)
    stub_dns(responder._default_zone.resolver, ["v=STSv1; id=1"])
    raw = await responder.process_request(("postfix " + DOMAIN).encode())
    length, _, rest = raw.partition(b":")
    return rest[: int(length)].decode("utf-8")


async def match(req):
    answer = await responder_answer(req["pattern"])
    return {"matches": postfix_accepts(answer, req["host"], DOMAIN), "answer": answer}


# --- Postfix (a model: Postfix is not run here) ---------------------------------------------

C_SPACE = " \t\n\v\f\r"


def ascii_lower(s):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


def postfix_accepts(answer, host, nexthop):
    """MODEL OF POSTFIX, not Postfix itself. Does Postfix, given this socketmap answer as its
    smtp_tls_policy_maps result, accept a certificate valid for exactly `host`?

    smtp_tls_policy.c: the policy is split into tokens on TAB, LF, CR, space and comma; the
    first is the level; every further token must be name=value (else the policy is invalid
    and the mail is deferred); `match` values are split on ':' (empty parts dropped).
    tls_client.c add_namechecks(): each pattern becomes an OpenSSL host check: `hostname` is
    the MX host, `nexthop` / `dot-nexthop` the destination domain, a leading '.' (or
    U+3002/U+FF0E/U+FF61) asks for any sub-domain, "." alone is ignored, non-ASCII names are
    converted to A-labels. OpenSSL X509_check_host (v3_utl.c), NO_PARTIAL_WILDCARDS: ASCII
    case-insensitive equality, a check name starting with '.' matches any longer name ending
    in it, a full-label '*.' certificate name matches one label. No trailing dot is removed.
    Attributes other than `match`/`servername` injected by a pattern, and braces, are taken
    as making the policy invalid (Postfix accepts a few others, such as ciphers=...).
    """
    if not answer.startswith("OK ") or "{" in answer or "}" in answer:
        return False  # Postfix's {...} quoting is not modelled: taken as invalid
    tokens = [t for t in _split(answer[3:], "\t\n\r ,") if t]
    if not tokens or tokens[0] != "secure":
        return False
    patterns = []
    servernames = 0
    for tok in tokens[1:]:
        nv = split_nameval(tok)
        if nv is None:
            return False
        name, value = nv
        if ascii_lower(name) == "match":
            if value == "":
                return False
            patterns += [p for p in value.split(":") if p]
        elif ascii_lower(name) == "servername":
            servernames += 1
            if servernames > 1:
                return False
        else:
            return False
    checks = [c for c in (name_check(p, host, nexthop) for p in patterns) if c is not None]
    return any(x509_check_host(host, c) for c in checks)


def _split(s, seps):
    out, cur = [], ""
    for ch in s:
        if ch in seps:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def split_nameval(tok):
    i = 0
    while i < len(tok) and tok[i] in C_SPACE:
        i += 1
    if i == len(tok) or tok[i] == "=":
        return None
    j = i
    while j < len(tok) and tok[j] not in C_SPACE and tok[j] != "=":
        j += 1
    k = j
    while k < len(tok) and tok[k] in C_SPACE:
        k += 1
    if k == len(tok) or tok[k] != "=":
        return None
    return tok[i:j], tok[k + 1 :].strip(C_SPACE)


def name_check(pattern, host, nexthop):
    sub = False
    low = ascii_lower(pattern)
    if low == "nexthop":
        name = nexthop
    elif low == "dot-nexthop":
        name, sub = nexthop, True
    elif low == "hostname":
        name = host
    else:
        name = pattern
        if name.startswith("."):
            name = name[1:]
            if name == "":
                return None
            sub = True
        elif name[:1] in ("\u3002", "\uff0e", "\uff61") and len(name) > 1:
            name, sub = name[1:], True
    if not name.isascii():
        try:
            name = idna.encode(name, uts46=True).decode("ascii")
        except idna.IDNAError:
            pass
    return "." + name if sub else name


def x509_check_host(cert, chk):
    cert_b, chk_b = cert.encode("utf-8"), chk.encode("utf-8")
    dot_sub = len(chk_b) > 1 and chk_b[:1] == b"."
    star = None if dot_sub else valid_star(cert_b)
    if star is None:
        return equal_nocase(cert_b, chk_b, dot_sub)
    return wildcard_match(cert_b[star + 1 :], chk_b)


def _lower_b(b):
    return bytes(c + 32 if 65 <= c <= 90 else c for c in b)


def equal_nocase(pattern, subject, dot_sub):
    if dot_sub and len(pattern) > len(subject) and 0 not in pattern[: len(pattern) - len(subject)]:
        pattern = pattern[len(pattern) - len(subject) :]
    if len(pattern) != len(subject) or 0 in pattern:
        return False
    return _lower_b(pattern) == _lower_b(subject)


def _ldh(c):
    return 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122


def valid_star(p):
    star, start, hyphen, idn, dots = None, True, False, False, 0
    for i, c in enumerate(p):
        if c == 42:  # '*'
            atstart, atend = start, i == len(p) - 1 or p[i + 1] == 46
            if star is not None or idn or dots or not (atstart and atend):
                return None
            star, start = i, False
        elif _ldh(c):
            if start and _lower_b(p[i : i + 4]) == b"xn--":
                idn = True
            start = hyphen = False
        elif c == 46:  # '.'
            if hyphen or start:
                return None
            start, hyphen, idn, dots = True, False, False, dots + 1
        elif c == 45:  # '-'
            if start:
                return None
            hyphen = True
        else:
            return None
    if start or hyphen or dots < 2:
        return None
    return star


def wildcard_match(suffix, subject):
    if len(subject) < len(suffix):
        return False
    end = len(subject) - len(suffix)
    if not equal_nocase(subject[end:], suffix, False):
        return False
    if end == 0:
        return False
    if end == 1 and subject[0] == 42:
        return True
    return all(_ldh(c) or c == 45 for c in subject[:end])


# --- the protocol loop ----------------------------------------------------------------------

HANDLERS = {"sts-txt": sts_txt, "policy": policy, "match": match}


async def main():
    await HTTP.start()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        handler = HANDLERS.get(req.get("kind"))
        try:
            ans = await handler(req) if handler else {"outcome": "unsupported"}
        except Exception as exc:  # an adapter fault, shown to the user, never an answer
            print(f"{req.get('vector')}: {type(exc).__name__}: {exc}", file=sys.stderr)
            ans = {"outcome": "unsupported"}
        ans = {"vector": req.get("vector"), **ans}
        sys.stdout.write(json.dumps(ans) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
