package io.github.zmqboot.internal.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.zeromq.SocketType;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;
import zmq.ZMQ;

/**
 * How any thread steers a running proxy without touching its sockets: a request goes into a queue, and a wakeup
 * frame goes over an internal inproc PAIR pair (both sockets made by the socket factory) whose receiving side sits
 * in the proxy's poller, so a waiting proxy wakes at once. The sending side is used only under this channel's lock;
 * the receiving side and the queue's consumer are the proxy's thread.
 * <p>
 * The proxy answers a request through its future once applied. When the proxy ends, requests still queued are
 * answered too: {@code TERMINATE} as done, the rest with an {@link IllegalStateException}; later requests at once.
 */
final class SteeringChannel {

    private static final AtomicLong ENDPOINT_SEQUENCE = new AtomicLong();

    /** Internal sockets inherit nothing from {@code zmq.defaults}: every option set, and no linger. */
    private static final SocketOptions INTERNAL_OPTIONS = SocketOptions.BUILT_IN.withLinger(Duration.ZERO);

    private final String proxyName;

    private final ManagedSocket receiver;

    private final ManagedSocket sender;

    private final Object lock = new Object();

    private final List<Request> requests = new ArrayList<>();

    private volatile boolean pending;

    private boolean closed;

    private SteeringChannel(String proxyName, ManagedSocket receiver, ManagedSocket sender) {
        this.proxyName = proxyName;
        this.receiver = receiver;
        this.sender = sender;
    }

    /** Creates and connects the wakeup pair; on the proxy's thread. */
    static SteeringChannel open(ZmqSocketFactory socketFactory, String proxyName) {
        String endpoint = "inproc://zmq-proxy-" + proxyName + "-steering-" + ENDPOINT_SEQUENCE.incrementAndGet();
        ManagedSocket receiver = socketFactory.createSocket(proxyName + ".steering", SocketType.PAIR, INTERNAL_OPTIONS);
        ManagedSocket sender = null;
        try {
            if (!receiver.base().bind(endpoint)) {
                throw receiver.lastError("bind to '" + endpoint + "'");
            }
            sender = socketFactory.createSocket(proxyName + ".steering-sender", SocketType.PAIR, INTERNAL_OPTIONS);
            if (!sender.base().connect(endpoint)) {
                throw sender.lastError("connect to '" + endpoint + "'");
            }
            return new SteeringChannel(proxyName, receiver, sender);
        }
        catch (RuntimeException ex) {
            receiver.close(ZmqError.ENOTSOCK);
            if (sender != null) {
                sender.close(ZmqError.ENOTSOCK);
            }
            throw ex;
        }
    }

    /**
     * Queues a command for the proxy and wakes it; from any thread.
     *
     * @return completes when the proxy applied the command
     */
    CompletableFuture<Void> submit(ControlProtocol.Command command) {
        Request request = new Request(command, new CompletableFuture<>());
        synchronized (this.lock) {
            if (this.closed) {
                answerAfterEnd(request);
                return request.done();
            }
            this.requests.add(request);
            this.pending = true;
            wakeUp();
        }
        return request.done();
    }

    /** Wakes the proxy without a request (it finds what changed itself, e.g. a drain asked for); from any thread. */
    void wake() {
        synchronized (this.lock) {
            if (!this.closed) {
                this.pending = true;
                wakeUp();
            }
        }
    }

    /** Whether requests wait; a volatile read, for the proxy's thread on every round. */
    boolean hasRequests() {
        return this.pending;
    }

    /** Takes every queued request; for the proxy's thread. */
    List<Request> take() {
        synchronized (this.lock) {
            List<Request> taken = List.copyOf(this.requests);
            this.requests.clear();
            this.pending = false;
            return taken;
        }
    }

    /** The socket the proxy polls for wakeups. */
    ManagedSocket receiver() {
        return this.receiver;
    }

    /** Reads every wakeup frame queued; for the proxy's thread, inside the receiver's gate. */
    void drainWakeups() {
        SocketBase base = this.receiver.base();
        while (base.recv(ZMQ.ZMQ_DONTWAIT, this.receiver.cancellation()) != null) {
            // a wakeup carries nothing: the queue holds the requests
        }
        if (base.errno() != ZError.EAGAIN) {
            throw this.receiver.lastError("steering receive");
        }
    }

    /** Refuses further requests, answers the queued ones and closes the pair; for the proxy's thread, at its end. */
    void close() {
        List<Request> unanswered;
        synchronized (this.lock) {
            this.closed = true;
            unanswered = List.copyOf(this.requests);
            this.requests.clear();
            this.pending = false;
            this.sender.close(ZmqError.ENOTSOCK);
        }
        this.receiver.close(ZmqError.ENOTSOCK);
        unanswered.forEach(this::answerAfterEnd);
    }

    private void wakeUp() {
        try {
            long stamp = this.sender.enter();
            try {
                // a full queue (EAGAIN) already holds wakeups enough; the request is in the queue either way
                this.sender.base().send(new Msg(0), ZMQ.ZMQ_DONTWAIT, this.sender.cancellation());
            }
            finally {
                this.sender.exit(stamp);
            }
        }
        catch (ZmqException closedByContext) {
            // the context is terminating: the proxy ends on its own and answers the request then
        }
    }

    private void answerAfterEnd(Request request) {
        if (request.command() == ControlProtocol.Command.TERMINATE) {
            request.done().complete(null);
        }
        else {
            request.done().completeExceptionally(
                    new IllegalStateException("Proxy '" + this.proxyName + "' is not running"));
        }
    }

    /**
     * A steering request.
     *
     * @param command what to do
     * @param done completes when it is done
     */
    record Request(ControlProtocol.Command command, CompletableFuture<Void> done) {
    }
}
