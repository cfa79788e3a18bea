package io.github.zmqboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.zeromq.ZFrame;
import org.zeromq.ZMQ;

/**
 * A PEER socket of a {@link ZmqTestClient}, connected to one bean: it sends to the routing id its connect returned,
 * and receives with the routing id each message came from. Not thread-safe.
 */
public final class TestPeer {

    private final ZMQ.Socket socket;

    private final int routingId;

    private final Duration timeout;

    TestPeer(ZMQ.Socket socket, int routingId, Duration timeout) {
        this.socket = socket;
        this.routingId = routingId;
        this.timeout = timeout;
    }

    /** The routing id this peer addresses the bean by (what {@code zmq_connect_peer} returned). */
    public int routingId() {
        return this.routingId;
    }

    /** The JeroMQ socket, for whatever this class does not cover. */
    public ZMQ.Socket raw() {
        return this.socket;
    }

    /** Sends one UTF-8 frame to the bean. */
    public TestPeer send(String payload) {
        return send(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one frame to the bean. */
    public TestPeer send(byte[] payload) {
        ZFrame frame = new ZFrame(payload);
        frame.setRoutingId(this.routingId);
        if (!frame.send(this.socket, 0)) {
            throw new AssertionError("could not send to routing id " + this.routingId + ": " + this.socket.errno());
        }
        return this;
    }

    /** The next message; fails the test when none arrives within the client's timeout. */
    public Message expect() {
        this.socket.setReceiveTimeOut((int) Math.max(1, this.timeout.toMillis()));
        ZFrame frame = ZFrame.recvFrame(this.socket);
        if (frame == null) {
            throw new AssertionError("no message on the PEER test socket within " + this.timeout);
        }
        return new Message(frame.getRoutingId(), frame.getData());
    }

    /** The next message as UTF-8, after checking that it came from the bean this peer connected to. */
    public String expectString() {
        Message message = expect();
        if (message.routingId() != this.routingId) {
            throw new AssertionError("expected a message from routing id " + this.routingId + ", got one from "
                    + message.routingId());
        }
        return message.asString();
    }

    /**
     * A message a {@link TestPeer} received.
     *
     * @param routingId the routing id of the connection it came from
     * @param payload its frame
     */
    public record Message(int routingId, byte[] payload) {

        /** The payload as UTF-8. */
        public String asString() {
            return new String(this.payload, StandardCharsets.UTF_8);
        }
    }
}
