package io.github.zmqboot.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.zeromq.SocketType;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * One socket of a {@link ZmqTestClient}: send text or raw frames, expect messages with a timeout, request-reply
 * through REQ or DEALER, subscribe and collect with SUB. Not thread-safe (as ZeroMQ sockets are not).
 */
public final class TestSocket {

    private final ZMQ.Socket socket;

    private final SocketType type;

    private final Duration timeout;

    TestSocket(ZMQ.Socket socket, SocketType type, Duration timeout) {
        this.socket = socket;
        this.type = type;
        this.timeout = timeout;
    }

    /** The JeroMQ socket, for whatever this class does not cover. */
    public ZMQ.Socket raw() {
        return this.socket;
    }

    /** Sends one UTF-8 frame. */
    public TestSocket send(String payload) {
        return sendFrames(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one message of these frames, as they are (a DEALER adds no empty delimiter here). */
    public TestSocket sendFrames(byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            if (!this.socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0)) {
                throw new AssertionError("could not send frame " + i + " on the " + this.type + " test socket: "
                        + this.socket.errno());
            }
        }
        return this;
    }

    /** The next message, or {@code null} when none arrives within {@code timeout}. */
    public ZMsg receive(Duration timeout) {
        this.socket.setReceiveTimeOut((int) Math.max(1, timeout.toMillis()));
        return ZMsg.recvMsg(this.socket, true);
    }

    /** The frames of the next message; fails the test when none arrives within the client's timeout. */
    public byte[][] expectFrames() {
        ZMsg message = receive(this.timeout);
        if (message == null) {
            throw new AssertionError("no message on the " + this.type + " test socket within " + this.timeout);
        }
        byte[][] frames = new byte[message.size()][];
        int i = 0;
        for (ZFrame frame : message) {
            frames[i++] = frame.getData();
        }
        return frames;
    }

    /** The last frame of the next message as UTF-8 (after a DEALER's envelope, a SUB's topic frame). */
    public String expectString() {
        byte[][] frames = expectFrames();
        return new String(frames[frames.length - 1], StandardCharsets.UTF_8);
    }

    /** Fails the test when a message arrives within {@code quiet}. */
    public void expectNoMessage(Duration quiet) {
        ZMsg message = receive(quiet);
        if (message != null) {
            throw new AssertionError("expected no message on the " + this.type + " test socket within " + quiet
                    + ", got " + message);
        }
    }

    /**
     * Sends a request and returns the reply's last frame: a REQ sends and receives as is; a DEALER sends the empty
     * delimiter a REP or ROUTER-REP chain expects first, and the reply's envelope is skipped.
     */
    public String request(String payload) {
        switch (this.type) {
            case REQ -> send(payload);
            case DEALER -> sendFrames(new byte[0], payload.getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalStateException("request() needs a REQ or DEALER socket, not " + this.type);
        }
        return expectString();
    }

    /** Subscribes a SUB socket to a topic prefix ({@code ""} for all); arriving is asynchronous, as in ZeroMQ. */
    public TestSocket subscribe(String topic) {
        this.socket.subscribe(topic.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * The next {@code count} messages' last frames as UTF-8; fails the test when they have not all arrived within
     * {@code within}.
     */
    public List<String> collect(int count, Duration within) {
        List<String> collected = new ArrayList<>(count);
        long deadline = System.nanoTime() + within.toNanos();
        while (collected.size() < count) {
            long left = deadline - System.nanoTime();
            ZMsg message = left > 0 ? receive(Duration.ofNanos(left)) : null;
            if (message == null) {
                throw new AssertionError("collected " + collected.size() + " of " + count + " messages on the "
                        + this.type + " test socket within " + within + ": " + collected);
            }
            collected.add(new String(message.getLast().getData(), StandardCharsets.UTF_8));
        }
        return collected;
    }
}
