#!/usr/bin/python3
"""A libzmq (pyzmq) program written for zmq_proxy_steerable, steering a proxy through its REP control socket.
Usage: steer_proxy.py CONTROL_ENDPOINT FRONTEND_ENDPOINT BACKEND_ENDPOINT
Sends traffic PUSH -> proxy -> PULL, then PAUSE, an unknown command, RESUME, STATISTICS and TERMINATE as
libzmq's man page describes them. Prints 'PASS' or 'FAIL reason'; exit code 0 only on PASS."""
import struct
import sys

import zmq


def main(control_endpoint, frontend, backend):
    ctx = zmq.Context()
    control = ctx.socket(zmq.REQ)
    control.setsockopt(zmq.LINGER, 0)
    control.setsockopt(zmq.RCVTIMEO, 15000)
    control.connect(control_endpoint)
    push = ctx.socket(zmq.PUSH)
    push.setsockopt(zmq.LINGER, 0)
    push.connect(frontend)
    pull = ctx.socket(zmq.PULL)
    pull.setsockopt(zmq.LINGER, 0)
    pull.setsockopt(zmq.RCVTIMEO, 15000)
    pull.connect(backend)

    def command(name):
        control.send(name)
        return control.recv_multipart()

    push.send_multipart([b"a", b"bc"])
    if pull.recv_multipart() != [b"a", b"bc"]:
        return "multipart message changed on its way"
    stats = command(b"STATISTICS")
    if len(stats) != 8 or any(len(frame) != 8 for frame in stats):
        return "STATISTICS is not 8 frames of 8 bytes: %r" % stats
    values = [struct.unpack("<Q", frame)[0] for frame in stats]
    if values != [2, 3, 0, 0, 0, 0, 2, 3]:
        return "STATISTICS values %r" % values
    if command(b"PAUSE") != [b""]:
        return "PAUSE not answered with one empty frame"
    push.send(b"held")
    pull.setsockopt(zmq.RCVTIMEO, 500)
    try:
        pull.recv()
        return "a message moved while paused"
    except zmq.Again:
        pass
    if command(b"NOT-A-COMMAND") != [b""]:
        return "unknown command not answered with one empty frame"
    if command(b"RESUME") != [b""]:
        return "RESUME not answered with one empty frame"
    pull.setsockopt(zmq.RCVTIMEO, 15000)
    if pull.recv() != b"held":
        return "the held message was not delivered after RESUME"
    if command(b"TERMINATE") != [b""]:
        return "TERMINATE not answered with one empty frame"
    ctx.destroy(0)
    return None


if __name__ == "__main__":
    try:
        failure = main(*sys.argv[1:4])
    except zmq.Again:
        failure = "timeout"
    print("PASS" if failure is None else "FAIL " + failure, flush=True)
    sys.exit(0 if failure is None else 1)
