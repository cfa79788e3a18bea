package io.github.zmqboot.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.zmqboot.internal.transport.Transports;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import org.springframework.context.ApplicationContext;

/**
 * Drives an application's sockets from outside, as another process would: its own ZeroMQ context and sockets, which
 * connect to a socket bean's resolved endpoint by the bean's name. Every receive waits at most the
 * {@linkplain #timeout(Duration) timeout} (10 s unless set) and fails the test after it. Closing the client closes
 * its sockets (linger 0) and its context; {@link ZmqTest} does it after each test.
 */
public final class ZmqTestClient implements AutoCloseable {

    /** How long a receive waits unless {@link #timeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContext application;

    private final ZMQ.Context context = ZMQ.context(1);

    private final List<ZMQ.Socket> sockets = new ArrayList<>();

    private Duration timeout = DEFAULT_TIMEOUT;

    /** A client of the sockets of {@code application}. */
    public ZmqTestClient(ApplicationContext application) {
        this.application = application;
    }

    /** Sets how long each receive of the sockets connected from now on waits. */
    public ZmqTestClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * The endpoint a bean bound, as resolved: {@code tcp://127.0.0.1:41234} for {@code tcp://127.0.0.1:*}.
     *
     * @param beanName a peer or socket bean, a proxy (its frontend), or {@code <proxy>.backend} /
     *        {@code .frontend} / {@code .control}
     */
    public String endpoint(String beanName) {
        return BeanEndpoints.resolve(this.application, beanName);
    }

    /** A socket of {@code type} connected to the bean's endpoint (see {@link #endpoint(String)}). */
    public TestSocket connect(SocketType type, String beanName) {
        return connect(type, beanName, socket -> {
        });
    }

    /** As {@link #connect(SocketType, String)}, with options (e.g. CURVE keys) set before it connects. */
    public TestSocket connect(SocketType type, String beanName, Consumer<ZMQ.Socket> options) {
        return connectTo(type, endpoint(beanName), options);
    }

    /** A socket of {@code type} connected to any endpoint. */
    public TestSocket connectTo(SocketType type, String endpoint, Consumer<ZMQ.Socket> options) {
        if (type == SocketType.PEER) {
            throw new IllegalArgumentException("Use connectPeer for PEER sockets");
        }
        ZMQ.Socket socket = open(type, options);
        if (Transports.handles(endpoint)) {
            Transports.connect(socket.base(), endpoint); // ipc, ws, wss: the starter's transports, as the bean's
        }
        else {
            socket.connect(endpoint);
        }
        return new TestSocket(socket, type, this.timeout);
    }

    /** A PEER socket connected to the bean's endpoint; it addresses the bean by the routing id the connect gave. */
    public TestPeer connectPeer(String beanName) {
        return connectPeer(beanName, socket -> {
        });
    }

    /** As {@link #connectPeer(String)}, with options (e.g. CURVE keys) set before it connects. */
    public TestPeer connectPeer(String beanName, Consumer<ZMQ.Socket> options) {
        ZMQ.Socket socket = open(SocketType.PEER, options);
        String endpoint = endpoint(beanName);
        int routingId = Transports.handles(endpoint) ? Transports.connect(socket.base(), endpoint)
                : socket.connectPeer(endpoint);
        return new TestPeer(socket, routingId, this.timeout);
    }

    private ZMQ.Socket open(SocketType type, Consumer<ZMQ.Socket> options) {
        ZMQ.Socket socket = this.context.socket(type);
        socket.setLinger(0);
        // JeroMQ 0.6.0 stalls a fresh tcp connect now and then until the handshake interval redoes it (30 s by
        // default); queued messages survive that
        socket.setHandshakeIvl(5000);
        options.accept(socket);
        synchronized (this.sockets) {
            this.sockets.add(socket);
        }
        return socket;
    }

    @Override
    public void close() {
        synchronized (this.sockets) {
            for (ZMQ.Socket socket : this.sockets) {
                socket.close();
                Transports.forget(socket.base()); // what the starter's transports kept for it
            }
            this.sockets.clear();
        }
        this.context.close();
    }
}
