# Stub DNS for the chasquid adapter: UDP 127.0.0.1:53 inside its private network namespace.
import json, socket, struct, sys
CONF = sys.argv[1]
def name_bytes(n):
    out = b""
    for l in n.rstrip(".").split("."):
        out += bytes([len(l)]) + l.encode()
    return out + b"\0"
def rr(t, rdata):
    return struct.pack(">HHHIH", 0xC00C, t, 1, 60, len(rdata)) + rdata
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
while True:
    q, addr = s.recvfrom(4096)
    conf = json.load(open(CONF))
    i, labels = 12, []
    while q[i]:
        labels.append(q[i+1:i+1+q[i]].decode()); i += 1 + q[i]
    qname = ".".join(labels).lower(); qtype = struct.unpack(">H", q[i+1:i+3])[0]
    question = q[12:i+5]
    ans = []
    zone = conf.get(qname)
    if zone is not None:
        if qtype == 16:
            for t in zone.get("TXT", []):
                b = t.encode(); data = b"".join(bytes([len(b[j:j+255])]) + b[j:j+255] for j in range(0, max(len(b),1), 255))
                ans.append(rr(16, data))
        elif qtype == 1 and "A" in zone:
            ans.append(rr(1, socket.inet_aton(zone["A"])))
        elif qtype == 15:
            for pref, host in zone.get("MX", []):
                ans.append(rr(15, struct.pack(">H", pref) + name_bytes(host)))
    flags = 0x8180 if zone is not None else 0x8183
    hdr = q[:2] + struct.pack(">HHHHH", flags, 1, len(ans), 0, 0)
    s.sendto(hdr + question + b"".join(ans), addr)
