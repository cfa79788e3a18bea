package io.github.zmqboot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.core.ZmqPeer;

import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Helpers shared by the listener tests: a client {@link ZmqPeer} talking to a listener's peer over one real
 * connection, and a record of the calls a handler method received.
 */
final class ListenerTestSupport {

    /** Longest wait for one message (a fresh tcp connect can stall for up to 5 s on a loaded machine). */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Longest wait for a bulk of messages. */
    static final Duration LONG_TIMEOUT = Duration.ofSeconds(60);

    private ListenerTestSupport() {
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static ZmqListenerContainer container(ApplicationContext context, String id) {
        ZmqListenerContainer container = context.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer(id);
        assertThat(container).as("listener container '%s'", id).isNotNull();
        return container;
    }

    /**
     * Waits until the container counted exactly {@code handled} successes and {@code failed} failures (a reply is sent
     * before the container counts its message, so a received reply does not mean it was counted yet).
     */
    static void awaitCounts(ZmqListenerContainer container, long handled, long failed) {
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(new long[] { container.handled(), container.failed() })
                .as("handled and failed of %s", container)
                .containsExactly(handled, failed));
    }

    /** Every throwable of {@code throwable}'s cause chain, itself first. */
    static List<Throwable> causeChain(Throwable throwable) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable current = throwable; current != null && !chain.contains(current); current = current.getCause()) {
            chain.add(current);
        }
        return chain;
    }

    /**
     * A client peer connected to a server peer: sends to the server's routing id and receives the server's replies.
     *
     * @param peer the client's peer bean
     * @param serverId the routing id of the connection to the server
     */
    record Client(ZmqPeer peer, int serverId) {

        /** Connects {@code client} to the first endpoint {@code server} is bound to. */
        static Client connect(ZmqPeer client, ZmqPeer server) {
            return connect(client, server.boundEndpoints().get(0));
        }

        static Client connect(ZmqPeer client, String endpoint) {
            int serverId = client.connect(endpoint);
            assertThat(serverId).isNotZero();
            return new Client(client, serverId);
        }

        /** Connects the peer bean {@code client} to the peer bean {@code server} of {@code context}. */
        static Client connect(ApplicationContext context, String client, String server) {
            return connect(context.getBean(client, ZmqPeer.class), context.getBean(server, ZmqPeer.class));
        }

        void send(String text) {
            this.peer.send(this.serverId, text);
        }

        void send(byte[] payload) {
            this.peer.send(this.serverId, payload);
        }

        void convertAndSend(Object payload) {
            this.peer.convertAndSend(this.serverId, payload);
        }

        /** The next reply, which must come within {@link #TIMEOUT} from the server. */
        byte[] receive() {
            ZmqPeer.Received received = this.peer.receive(TIMEOUT);
            assertThat(received).as("a reply within %s", TIMEOUT).isNotNull();
            assertThat(received.routingId()).as("the routing id of the reply's connection").isEqualTo(this.serverId);
            return received.payload();
        }

        String receiveText() {
            return text(receive());
        }
    }

    /** The calls a handler method received, in order, each as the list of its arguments. */
    static final class Calls {

        private final BlockingQueue<List<Object>> calls = new LinkedBlockingQueue<>();

        void record(Object... arguments) {
            this.calls.add(Arrays.asList(arguments));
        }

        /** The next call, which must come within {@link #TIMEOUT}. */
        List<Object> next() throws InterruptedException {
            List<Object> call = this.calls.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call).as("a handler call within %s", TIMEOUT).isNotNull();
            return call;
        }

        int pending() {
            return this.calls.size();
        }
    }
}
