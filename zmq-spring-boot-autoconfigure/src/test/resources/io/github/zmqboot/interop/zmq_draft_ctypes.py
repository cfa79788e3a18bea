"""Minimal ctypes binding to a DRAFT-enabled libzmq (PEER socket, zmq_connect_peer, routing ids).
Debian's pyzmq/libzmq5 are built without the draft API, so PEER tests load a draft libzmq directly.
Library path: $LIBZMQ_DRAFT (.ci/build-draft-libzmq.sh builds one; see the README's tests section).

Run as a program, it answers which features the library has (zmq_has):
    zmq_draft_ctypes.py has draft ws wss ipc
prints one line per feature, "yes NAME" or "no NAME", and exits 0 when the library loads (1 otherwise)."""
import ctypes, os, sys

ZMQ_PEER = 19
ZMQ_SNDTIMEO, ZMQ_RCVTIMEO, ZMQ_LINGER, ZMQ_LAST_ENDPOINT = 28, 27, 17, 32
EAGAIN = 11
ZMQ_WSS_KEY_PEM, ZMQ_WSS_CERT_PEM, ZMQ_WSS_TRUST_PEM, ZMQ_WSS_HOSTNAME = 103, 104, 105, 106   # zmq_draft.h 4.3.4
ZMQ_CURVE_SERVER, ZMQ_CURVE_PUBLICKEY, ZMQ_CURVE_SECRETKEY, ZMQ_CURVE_SERVERKEY = 47, 48, 49, 50  # zmq.h

class zmq_msg_t(ctypes.Structure):
    _fields_ = [("_", ctypes.c_uint64 * 8)]   # 64 bytes, pointer-aligned as in zmq.h

class DraftZmq:
    def __init__(self, path=None, require_draft=True):
        path = path or os.environ.get("LIBZMQ_DRAFT")
        if not path:
            raise RuntimeError("LIBZMQ_DRAFT is not set (path of a draft-enabled libzmq.so.5)")
        self.path = os.path.realpath(path)
        L = self.L = ctypes.CDLL(self.path)
        L.zmq_has.argtypes = [ctypes.c_char_p]
        L.zmq_strerror.restype = ctypes.c_char_p
        L.zmq_ctx_new.restype = ctypes.c_void_p
        L.zmq_ctx_term.argtypes = [ctypes.c_void_p]
        self.ctx = None
        if not L.zmq_has(b"draft"):
            if require_draft:
                raise RuntimeError("%s was built without the draft API" % self.path)
            return   # has() and version() only: the draft functions are missing
        L.zmq_socket.restype = ctypes.c_void_p; L.zmq_socket.argtypes = [ctypes.c_void_p, ctypes.c_int]
        L.zmq_close.argtypes = [ctypes.c_void_p]
        L.zmq_bind.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        L.zmq_connect.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        L.zmq_connect_peer.restype = ctypes.c_uint32
        L.zmq_connect_peer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        L.zmq_setsockopt.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
        L.zmq_getsockopt.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
        L.zmq_msg_init.argtypes = [ctypes.POINTER(zmq_msg_t)]
        L.zmq_msg_init_size.argtypes = [ctypes.POINTER(zmq_msg_t), ctypes.c_size_t]
        L.zmq_msg_data.restype = ctypes.c_void_p; L.zmq_msg_data.argtypes = [ctypes.POINTER(zmq_msg_t)]
        L.zmq_msg_size.restype = ctypes.c_size_t; L.zmq_msg_size.argtypes = [ctypes.POINTER(zmq_msg_t)]
        L.zmq_msg_close.argtypes = [ctypes.POINTER(zmq_msg_t)]
        L.zmq_msg_send.argtypes = [ctypes.POINTER(zmq_msg_t), ctypes.c_void_p, ctypes.c_int]
        L.zmq_msg_recv.argtypes = [ctypes.POINTER(zmq_msg_t), ctypes.c_void_p, ctypes.c_int]
        L.zmq_msg_set_routing_id.argtypes = [ctypes.POINTER(zmq_msg_t), ctypes.c_uint32]
        L.zmq_msg_routing_id.restype = ctypes.c_uint32
        L.zmq_msg_routing_id.argtypes = [ctypes.POINTER(zmq_msg_t)]
        self.ctx = L.zmq_ctx_new()

    def has(self, feature):
        """zmq_has: "draft", "ipc", "ws", "wss", "curve", ..."""
        return bool(self.L.zmq_has(feature.encode()))

    def version(self):
        a, b, c = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        self.L.zmq_version(ctypes.byref(a), ctypes.byref(b), ctypes.byref(c))
        return "%d.%d.%d" % (a.value, b.value, c.value)

    def err(self):
        e = self.L.zmq_errno()
        return "%d %s" % (e, self.L.zmq_strerror(e).decode())

    def peer(self, rcvtimeo_ms=5000):
        s = self.L.zmq_socket(self.ctx, ZMQ_PEER)
        if not s:
            raise RuntimeError("zmq_socket(PEER) failed: " + self.err())
        for opt, val in ((ZMQ_RCVTIMEO, rcvtimeo_ms), (ZMQ_SNDTIMEO, rcvtimeo_ms), (ZMQ_LINGER, 0)):
            v = ctypes.c_int(val)
            self.L.zmq_setsockopt(s, opt, ctypes.byref(v), ctypes.sizeof(v))
        return s

    def set_string(self, s, opt, value):
        """A string/bytes socket option, e.g. ZMQ_WSS_CERT_PEM with the PEM text."""
        b = value.encode() if isinstance(value, str) else value
        if self.L.zmq_setsockopt(s, opt, b, len(b)) != 0:
            raise RuntimeError("zmq_setsockopt %d: %s" % (opt, self.err()))

    def wss(self, s, cert=None, key=None, trust=None, hostname=None):
        """wss options from PEM files (server: cert + key; client: trust, and the host name to check)."""
        for opt, path in ((ZMQ_WSS_CERT_PEM, cert), (ZMQ_WSS_KEY_PEM, key), (ZMQ_WSS_TRUST_PEM, trust)):
            if path:
                with open(path) as f:
                    self.set_string(s, opt, f.read())
        if hostname:
            self.set_string(s, ZMQ_WSS_HOSTNAME, hostname)

    def curve(self, s, server=False, public=None, secret=None, serverkey=None):
        """CURVE from Z85 keys (40 characters each, as zmq_setsockopt takes them): a server sets server=True and
        its secret key; a client its own key pair and the server's public key. Nothing set: the NULL mechanism."""
        if server:
            v = ctypes.c_int(1)
            if self.L.zmq_setsockopt(s, ZMQ_CURVE_SERVER, ctypes.byref(v), ctypes.sizeof(v)) != 0:
                raise RuntimeError("zmq_setsockopt ZMQ_CURVE_SERVER: " + self.err())
        for opt, key in ((ZMQ_CURVE_PUBLICKEY, public), (ZMQ_CURVE_SECRETKEY, secret),
                         (ZMQ_CURVE_SERVERKEY, serverkey)):
            if key:
                self.set_string(s, opt, key)

    def bind(self, s, ep):
        if self.L.zmq_bind(s, ep.encode()) != 0:
            raise RuntimeError("bind %s: %s" % (ep, self.err()))

    def last_endpoint(self, s):
        """The endpoint a bind resolved (ZMQ_LAST_ENDPOINT), e.g. tcp://127.0.0.1:41234 for tcp://127.0.0.1:*."""
        buf = ctypes.create_string_buffer(1024)
        size = ctypes.c_size_t(len(buf))
        if self.L.zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, buf, ctypes.byref(size)) != 0:
            raise RuntimeError("zmq_getsockopt ZMQ_LAST_ENDPOINT: " + self.err())
        return buf.value.decode()

    def connect_peer(self, s, ep):
        rid = self.L.zmq_connect_peer(s, ep.encode())
        if rid == 0:
            raise RuntimeError("zmq_connect_peer %s: %s" % (ep, self.err()))
        return rid

    def send(self, s, rid, data):
        m = zmq_msg_t()
        self.L.zmq_msg_init_size(ctypes.byref(m), len(data))
        ctypes.memmove(self.L.zmq_msg_data(ctypes.byref(m)), data, len(data))
        self.L.zmq_msg_set_routing_id(ctypes.byref(m), rid)
        if self.L.zmq_msg_send(ctypes.byref(m), s, 0) < 0:
            e = self.err(); self.L.zmq_msg_close(ctypes.byref(m))
            raise RuntimeError("zmq_msg_send to rid %d: %s" % (rid, e))

    def recv(self, s):
        """Returns (routing_id, bytes) or None on timeout."""
        m = zmq_msg_t()
        self.L.zmq_msg_init(ctypes.byref(m))
        if self.L.zmq_msg_recv(ctypes.byref(m), s, 0) < 0:
            e = self.L.zmq_errno(); self.L.zmq_msg_close(ctypes.byref(m))
            if e == EAGAIN:
                return None
            raise RuntimeError("zmq_msg_recv: " + self.L.zmq_strerror(e).decode())
        rid = self.L.zmq_msg_routing_id(ctypes.byref(m))
        data = ctypes.string_at(self.L.zmq_msg_data(ctypes.byref(m)), self.L.zmq_msg_size(ctypes.byref(m)))
        self.L.zmq_msg_close(ctypes.byref(m))
        return rid, data

    def close(self, *socks):
        for s in socks:
            self.L.zmq_close(s)
        self.L.zmq_ctx_term(self.ctx)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "has":
        sys.exit("usage: zmq_draft_ctypes.py has FEATURE...")
    try:
        z = DraftZmq(require_draft=False)
    except Exception as e:
        print("cannot load libzmq: %s" % e)
        sys.exit(1)
    print("# libzmq %s from %s" % (z.version(), z.path))
    for feature in sys.argv[2:]:
        print("%s %s" % ("yes" if z.has(feature) else "no", feature))
    if z.ctx:
        z.L.zmq_ctx_term(z.ctx)
