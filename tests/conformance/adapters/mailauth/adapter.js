'use strict';

// Conformance adapter for mailauth's MTA-STS code (lib/mta-sts.js), speaking
// tests/conformance/PROTOCOL.md on stdin/stdout.
//
//   node adapter.js 5         mailauth 5.0.1, as mx-connect 2.0.0 (ZoneMTA) calls it: getPolicy(domain, cache, { resolver })
//   node adapter.js 7         mailauth 7.1.0 with its default (lax) options
//   node adapter.js 7-strict  mailauth 7.1.0 with { strict: true }
//
// Nothing of mailauth is re-implemented here. Every answer comes from the package's own
// getPolicy() and validateMx():
//
// * DNS is stubbed through getPolicy's `resolver` option (the hook mx-connect itself uses): the
//   vector's TXT records at _mta-sts.example.com, and 127.0.0.1 for mta-sts.example.com.
// * HTTP is stubbed below mailauth: node:https's request() is pointed at a plain TCP server in this
//   process, which writes the vector's status line, Content-Type, Content-Length and body as raw
//   bytes. So Node's own HTTP client parses the response and mailauth's own status, Content-Type,
//   size and body handling runs on it. Only TLS is skipped (the certificate is taken as valid).
// * `match` asks validateMx() about a one-pattern policy in enforce mode.
//
// The installed packages are looked up in $MAILAUTH_MODULES (the directory holding node_modules/),
// else next to this file.

const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const readline = require('node:readline');
const { createRequire } = require('node:module');

const VARIANTS = {
    5: { pkg: 'mailauth5', opts: {} },
    7: { pkg: 'mailauth7', opts: {} },
    '7-strict': { pkg: 'mailauth7', opts: { strict: true } }
};

const variant = VARIANTS[process.argv[2]];
if (!variant) {
    process.stderr.write('usage: adapter.js 5|7|7-strict\n');
    process.exit(2);
}

const modulesDir = process.env.MAILAUTH_MODULES || __dirname;
const requireThere = createRequire(path.join(modulesDir, 'package.json'));
const sts = requireThere(`${variant.pkg}/lib/mta-sts`);

const DOMAIN = 'example.com';
// What the server sends for a `sts-txt` request: a valid policy, so that getPolicy's answer
// depends on the TXT records alone.
const GOOD_POLICY = {
    status: 200,
    contentType: 'text/plain',
    body: Buffer.from('version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n')
};
// What DNS answers for a `policy` request.
const GOOD_TXT = ['v=STSv1; id=20240101T000000'];

// ---- HTTP: a raw TCP server standing in for https://mta-sts.example.com --------------------

let current = GOOD_POLICY;

const server = net.createServer(socket => {
    let head = '';
    socket.on('data', chunk => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) {
            return;
        }
        socket.removeAllListeners('data');
        const { status, contentType, body } = current;
        let lines = [`HTTP/1.1 ${status} Status`];
        if (contentType !== null && contentType !== undefined) {
            lines.push(`Content-Type: ${contentType}`);
        }
        lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '');
        socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]));
    });
    socket.on('error', () => {});
});

let serverPort;

// The seam: mailauth calls https.request(options, callback) with host = the address the resolver
// gave, servername mta-sts.example.com, port 443. Send it to the local server over plain HTTP
// instead, keeping everything else mailauth asked for (path, headers, timeout).
https.request = (options, callback) =>
    http.request(
        {
            host: '127.0.0.1',
            port: serverPort,
            method: options.method,
            path: options.path,
            headers: options.headers,
            timeout: options.timeout,
            agent: false
        },
        callback
    );

// ---- DNS -----------------------------------------------------------------------------------

const notFound = name => {
    const err = new Error(`queryTxt ENODATA ${name}`);
    err.code = 'ENODATA';
    return err;
};

const resolverFor = records => async (name, type) => {
    name = String(name).toLowerCase();
    if (type === 'TXT' && name === `_mta-sts.${DOMAIN}`) {
        if (!records.length) {
            throw notFound(name);
        }
        // node's resolveTxt shape: each record an array of its character-strings
        return records.map(r => [r]);
    }
    if (type === 'A' && name === `mta-sts.${DOMAIN}`) {
        return ['127.0.0.1'];
    }
    throw notFound(name);
};

// ---- requests ------------------------------------------------------------------------------

const reasonOf = result => {
    const err = result.policy && result.policy.error;
    if (err) {
        return `${result.status}: ${err.code ? err.code + ' ' : ''}${err.message}`.trim();
    }
    return result.status;
};

const answer = async request => {
    switch (request.kind) {
        case 'sts-txt': {
            current = GOOD_POLICY;
            const records = (request.records || []).map(String);
            const result = await sts.getPolicy(DOMAIN, false, { ...variant.opts, resolver: resolverFor(records) });
            if (result.status === 'found') {
                return { outcome: 'policy', id: String(result.policy.id) };
            }
            return { outcome: 'no-policy', reason: reasonOf(result) };
        }
        case 'policy': {
            current = {
                status: request.status,
                contentType: request.content_type,
                body: Buffer.from(request.body_base64 || '', 'base64')
            };
            const result = await sts.getPolicy(DOMAIN, false, { ...variant.opts, resolver: resolverFor(GOOD_TXT) });
            if (result.status === 'found') {
                const p = result.policy;
                return { outcome: 'policy', policy: { mode: p.mode, max_age: p.maxAge, mx: p.mx || [] } };
            }
            return { outcome: 'no-policy', reason: reasonOf(result) };
        }
        case 'match': {
            const policy = { mode: 'enforce', mx: [request.pattern] };
            const result = sts.validateMx(request.host, policy, variant.opts);
            return { matches: !!result.valid };
        }
        default:
            return { outcome: 'unsupported' };
    }
};

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', err => {
    if (err.code === 'EPIPE') {
        process.exit(0);
    }
    throw err;
});

const main = async () => {
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    serverPort = server.address().port;

    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
        if (!line.trim()) {
            continue;
        }
        let request;
        try {
            request = JSON.parse(line);
        } catch (err) {
            process.stderr.write(`not JSON: ${line}\n`);
            continue;
        }
        let reply;
        try {
            reply = await answer(request);
        } catch (err) {
            // getPolicy catches what the fetch throws; anything else is the adapter's fault
            process.stderr.write(`${request.vector}: ${err.stack || err}\n`);
            reply = { outcome: 'unsupported' };
        }
        process.stdout.write(JSON.stringify({ vector: request.vector, ...reply }) + '\n');
    }
    server.close();
};

main().catch(err => {
    process.stderr.write(`${err.stack || err}\n`);
    process.exit(1);
});
