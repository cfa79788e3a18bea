package io.github.zmqboot.internal.socket;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.zmqboot.autoconfigure.SocketProperties;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.core.ZmqSocketCustomizer;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.zeromq.SocketType;

import org.springframework.messaging.converter.JacksonJsonMessageConverter;

/**
 * A real ZeroMQ context and socket factory for one test, without Spring: sockets come from the product's factory
 * exactly as beans do. Records which thread created (configured) each socket. Closing it terminates the context.
 */
final class TestSockets implements AutoCloseable {

    /** Upper bound of every wait for something the test set up (fresh tcp connects may stall up to 5 s). */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    final ZmqContextManager contextManager = new ZmqContextManager(1, 1024);

    /** Socket name to the name of the thread that configured it, last creation wins. */
    final Map<String, String> creatingThreads = new ConcurrentHashMap<>();

    final ZmqSocketFactory factory;

    final ZmqSockets sockets;

    TestSockets() {
        ZmqSocketCustomizer recordThread = (name, type, socket) -> this.creatingThreads.put(name,
                Thread.currentThread().getName());
        this.factory = new ZmqSocketFactory(this.contextManager, SocketOptions.lingerOnly(Duration.ZERO),
                List.of(recordThread));
        this.sockets = new ZmqSockets(this.factory, new ZmqPayloadConverter(new JacksonJsonMessageConverter()));
    }

    ZmqSocket create(String name, SocketType type) {
        return this.sockets.createZmqSocket(name, type, SocketOptions.NONE);
    }

    ZmqSocket create(String name, SocketType type, Consumer<SocketProperties> options) {
        SocketProperties properties = new SocketProperties();
        options.accept(properties);
        return this.sockets.createZmqSocket(name, type, properties.toSocketOptions());
    }

    /** A socket bound to an ephemeral loopback tcp port; its resolved endpoint is its first bound endpoint. */
    ZmqSocket bound(String name, SocketType type) {
        ZmqSocket socket = create(name, type);
        socket.bind("tcp://127.0.0.1:0");
        return socket;
    }

    /**
     * Whether {@code thread} waits inside a socket call (for queue space, a message or a reply): parked, or in the
     * socket's wait for its engine signal (a selector, so the thread stays RUNNABLE).
     */
    static boolean waitsInSocketCall(Thread thread) {
        if (thread == null || !thread.isAlive()) {
            return false;
        }
        if (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING) {
            return true;
        }
        return java.util.Arrays.stream(thread.getStackTrace())
            .anyMatch(frame -> frame.getClassName().equals("io.github.zmqboot.internal.engine.SignalWaiter")
                    && frame.getMethodName().equals("await"));
    }

    /** Whether a thread of the socket's own (named {@code zmq-<name>-...}) is alive. */
    static boolean socketThreadAlive(String socketName) {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> thread.getName().startsWith("zmq-" + socketName + "-") && thread.isAlive());
    }

    @Override
    public void close() {
        this.contextManager.close();
    }
}
