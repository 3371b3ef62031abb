# Stub HTTPS for the chasquid adapter: 127.0.0.1:443 inside its private network namespace.
import base64, http.server, json, ssl, sys
CONF, CERT, KEY = sys.argv[1:4]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        c = json.load(open(CONF))
        body = base64.b64decode(c["body_b64"])
        self.send_response(c["status"])
        if c.get("content_type") is not None:
            self.send_header("Content-Type", c["content_type"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 443), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(CERT, KEY)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
