# A libzmq CURVE client (pyzmq): a REQ socket that sends one request and prints the reply, or NO REPLY.
# Usage: curve_client.py <endpoint> <server public key> <own public key> <own secret key> <message> <wait ms>
import sys
import zmq

endpoint, server_key, public_key, secret_key, message, wait_ms = sys.argv[1:7]
context = zmq.Context()
socket = context.socket(zmq.REQ)
socket.setsockopt(zmq.LINGER, 0)
socket.curve_serverkey = server_key.encode("ascii")
socket.curve_publickey = public_key.encode("ascii")
socket.curve_secretkey = secret_key.encode("ascii")
socket.connect(endpoint)
socket.send_string(message)
if socket.poll(int(wait_ms), zmq.POLLIN):
    print("REPLY " + socket.recv_string())
else:
    print("NO REPLY")
socket.close()
context.term()
