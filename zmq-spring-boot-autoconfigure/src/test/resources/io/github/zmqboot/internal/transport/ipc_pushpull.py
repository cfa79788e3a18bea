"""Native libzmq (Debian's pyzmq) over ipc, for IpcTransportTest.

  ipc_pushpull.py push ENDPOINT COUNT   connects a PUSH and sends 'msg-0' .. 'msg-(COUNT-1)'
  ipc_pushpull.py pull ENDPOINT COUNT   binds a PULL, receives COUNT messages, checks their order

Prints 'PASS ...' and exits 0, or exits non-zero with the reason.
"""
import sys
import zmq

mode, endpoint, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = zmq.Context()
if mode == "push":
    push = ctx.socket(zmq.PUSH)
    push.setsockopt(zmq.LINGER, 10000)
    push.connect(endpoint)
    for i in range(count):
        push.send(b"msg-%d" % i)
    push.close()
    print("PASS pushed %d" % count)
else:
    pull = ctx.socket(zmq.PULL)
    pull.setsockopt(zmq.RCVTIMEO, 20000)
    pull.bind(endpoint)
    print("BOUND", flush=True)
    for i in range(count):
        got = pull.recv()
        if got != b"msg-%d" % i:
            print("FAIL expected msg-%d, got %r" % (i, got))
            sys.exit(1)
    pull.close()
    print("PASS pulled %d" % count)
ctx.term()
