#!/usr/bin/env python3
"""Native libzmq PEER (draft API via ctypes) <-> JeroMQ PEER.
  connect mode: peer_client.py connect HOST PORT [--count N]
      two native PEER sockets each zmq_connect_peer() to JeroMQ PeerServer (bind); each sends
      'ping:<i>' to its routing id, expects 'pong:<i>:rid=..' from the same rid; then asks the
      server to push 5 unsolicited messages (server-initiated sends addressed by rid).
  bind mode:    peer_client.py bind HOST PORT [--count N] [--wait S]
      native PEER binds (a port or path of '*' picks a free one) and prints 'READY native PEER bound at EP'
      with the endpoint the bind resolved; JeroMQ PeerClient (connectPeer) must connect within --wait seconds;
      replies 'pong:<i>:rid=<rid>' to the rid each ping came from; passes after N pings + 'bye'.
  --endpoint EP replaces tcp://HOST:PORT in either mode (e.g. ws://127.0.0.1:5555/peer or ipc:///tmp/peer.sock:
      the draft build has ipc, WS and WSS).
  --wss-cert/--wss-key (PEM files; bind mode) and --wss-trust/--wss-hostname (connect mode) set libzmq's
      ZMQ_WSS_* options for wss:// endpoints.
  --curve-server, --curve-public, --curve-secret, --curve-serverkey (Z85 keys) set libzmq's ZMQ_CURVE_* options
      on the native sockets: a native server needs --curve-server and its secret key; a native client its key pair
      and the server's public key.
Env LIBZMQ_DRAFT=/path/to/draft/libzmq.so.5 overrides the library."""
import argparse, sys
from zmq_draft_ctypes import DraftZmq

WSS = {}
CURVE = {}

def connect_mode(z, ep, n):
    name = "native_peer_connect_to_jeromq_peer_bind"
    a, b = z.peer(), z.peer()
    for s in (a, b):
        z.wss(s, trust=WSS.get("trust"), hostname=WSS.get("hostname"))
        z.curve(s, **CURVE)
    rid_a, rid_b = z.connect_peer(a, ep), z.connect_peer(b, ep)
    print("# zmq_connect_peer -> rid_a=%d rid_b=%d" % (rid_a, rid_b))
    server_seen = set()
    for i in range(n):
        for tag, s, rid in (("a", a, rid_a), ("b", b, rid_b)):
            body = ("ping:%s%d" % (tag, i)).encode()
            z.send(s, rid, body)
            r = z.recv(s)
            if r is None:
                return False, name, "timeout waiting pong %s%d" % (tag, i)
            got_rid, data = r
            exp = "pong:%s%d:rid=" % (tag, i)
            if got_rid != rid or not data.decode().startswith(exp):
                return False, name, "socket %s: got rid=%d %r, expected rid=%d %s*" % (tag, got_rid, data, rid, exp)
            server_seen.add((tag, data.decode().split("rid=")[1]))
    if len({v for _, v in server_seen}) != 2:
        return False, name, "server did not see two distinct routing ids: %r" % server_seen
    z.send(a, rid_a, b"push-me:5")
    pushes = []
    for _ in range(5):
        r = z.recv(a)
        if r is None:
            return False, name, "timeout waiting for server-initiated push (got %d)" % len(pushes)
        pushes.append(r)
    if [d for _, d in pushes] != [b"push:%d" % k for k in range(5)] or any(r != rid_a for r, _ in pushes):
        return False, name, "bad pushes %r" % pushes
    z.close(a, b)
    return True, name, "%d ping/pong x2 sockets + 5 server pushes; server-side rids %s" % (
        n, sorted(v for _, v in server_seen))

def bind_mode(z, ep, n, wait_s):
    name = "jeromq_peer_connect_to_native_peer_bind"
    s = z.peer(rcvtimeo_ms=int(wait_s * 1000))
    z.wss(s, cert=WSS.get("cert"), key=WSS.get("key"))
    z.curve(s, **CURVE)
    z.bind(s, ep)
    print("READY native PEER bound at %s" % z.last_endpoint(s), flush=True)
    count, rids = 0, set()
    while True:
        r = z.recv(s)
        if r is None:
            z.close(s)
            return False, name, "timeout after %d pings" % count
        rid, data = r
        rids.add(rid)
        d = data.decode()
        if d == "bye":
            break
        if not d.startswith("ping:"):
            z.close(s)
            return False, name, "unexpected %r" % d
        z.send(s, rid, ("pong:%s:rid=%d" % (d[5:], rid)).encode())
        count += 1
    z.close(s)
    ok = count == n and len(rids) == 1
    return ok, name, "answered %d pings (+bye) from rids %s" % (count, sorted(rids))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["connect", "bind"])
    ap.add_argument("host"); ap.add_argument("port", type=int)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--wait", type=float, default=20.0)
    ap.add_argument("--endpoint", help="full endpoint instead of tcp://HOST:PORT")
    for o in ("cert", "key", "trust", "hostname"):
        ap.add_argument("--wss-" + o)
    ap.add_argument("--curve-server", action="store_true")
    for o in ("public", "secret", "serverkey"):
        ap.add_argument("--curve-" + o)
    a = ap.parse_args()
    CURVE.update({o: getattr(a, "curve_" + o) for o in ("server", "public", "secret", "serverkey")})
    WSS.update({o: getattr(a, "wss_" + o) for o in ("cert", "key", "trust", "hostname")})
    try:
        z = DraftZmq()
        print("# draft libzmq %s from %s" % (z.version(), z.path))
        ep = a.endpoint or "tcp://%s:%d" % (a.host, a.port)
        ok, name, msg = connect_mode(z, ep, a.count) if a.mode == "connect" else bind_mode(z, ep, a.count, a.wait)
    except Exception as e:
        ok, name, msg = False, "native_peer_%s" % a.mode, "exception: %s" % e
    print("%s %s: %s" % ("PASS" if ok else "FAIL", name, msg), flush=True)
    sys.exit(0 if ok else 1)

if __name__ == "__main__":
    main()
