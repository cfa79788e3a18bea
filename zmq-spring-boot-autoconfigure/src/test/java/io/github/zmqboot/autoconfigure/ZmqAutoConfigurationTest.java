package io.github.zmqboot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.zmqboot.core.ZmqContextCustomizer;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.internal.peer.DefaultZmqPeer;
import io.github.zmqboot.core.ZmqSocketCustomizer;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Proves what {@link ZmqAutoConfiguration} contributes: the context manager and socket factory (none of it
 * when {@code zmq.enabled=false}), one {@link ZmqPeer} bean per {@code zmq.peers.<name>} named by its key, every
 * socket option applied with libzmq's meaning (read back from the engine) and resolved with the documented
 * precedence, customizers applied, user beans taking precedence over the starter's, JSON as the default payload
 * conversion, and wildcard tcp ports resolved to real ones.
 */
class ZmqAutoConfigurationTest {

    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class));

    @Test
    void withoutPeersProvidesTheContextAndTheSocketFactoryOnly() {
        this.runner.run(context -> {
            assertThat(context).hasNotFailed()
                .hasSingleBean(ZmqContextManager.class)
                .hasSingleBean(ZmqSocketFactory.class)
                .doesNotHaveBean(ZmqPeer.class);
            assertThat(context.getBean(ZmqSocketFactory.class).contextManager())
                .isSameAs(context.getBean(ZmqContextManager.class));
        });
    }

    @Test
    void disabledProvidesNothingEvenWithPeersConfigured() {
        this.runner.withPropertyValues("zmq.enabled=false", "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0")
            .run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(ZmqContextManager.class)
                .doesNotHaveBean(ZmqSocketFactory.class)
                .doesNotHaveBean(ZmqPeer.class)
                .doesNotHaveBean("alice"));
    }

    @Test
    void registersOnePeerBeanPerConfiguredNameNamedByItsKey() {
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=inproc://alice", "zmq.peers.bob.linger=0",
                "zmq.peers.carol.send-hwm=10")
            .run(context -> {
                assertThat(context).hasNotFailed();
                Map<String, ZmqPeer> peers = context.getBeansOfType(ZmqPeer.class);
                assertThat(peers).containsOnlyKeys("alice", "bob", "carol");
                peers.forEach((name, peer) -> assertThat(peer.name()).isEqualTo(name));
                assertThat(peers.get("alice").boundEndpoints()).containsExactly("inproc://alice");
            });
    }

    @Test
    void appliesEveryOptionWithLibzmqMeaning() {
        this.runner.withPropertyValues("zmq.peers.alice.send-hwm=11", "zmq.peers.alice.receive-hwm=12",
                "zmq.peers.alice.linger=13ms", "zmq.peers.alice.reconnect-interval=140ms",
                "zmq.peers.alice.handshake-interval=1500ms", "zmq.peers.alice.heartbeat-interval=2s",
                "zmq.peers.alice.heartbeat-timeout=3s", "zmq.peers.alice.max-message-size=65536",
                "zmq.peers.alice.send-timeout=250ms", "zmq.peers.alice.receive-timeout=300ms",
                "zmq.peers.alice.routing-id=alice-id", "zmq.peers.alice.immediate=true",
                "zmq.peers.bob.immediate=false")
            .run(context -> {
                assertThat(context).hasNotFailed();
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                assertThat(option(alice, zmq.ZMQ.ZMQ_SNDHWM)).isEqualTo(11);
                assertThat(option(alice, zmq.ZMQ.ZMQ_RCVHWM)).isEqualTo(12);
                assertThat(option(alice, zmq.ZMQ.ZMQ_LINGER)).isEqualTo(13);
                assertThat(option(alice, zmq.ZMQ.ZMQ_RECONNECT_IVL)).isEqualTo(140);
                assertThat(option(alice, zmq.ZMQ.ZMQ_HANDSHAKE_IVL)).isEqualTo(1500);
                assertThat(option(alice, zmq.ZMQ.ZMQ_HEARTBEAT_IVL)).isEqualTo(2000);
                assertThat(option(alice, zmq.ZMQ.ZMQ_HEARTBEAT_TIMEOUT)).isEqualTo(3000);
                assertThat(option(alice, zmq.ZMQ.ZMQ_MAXMSGSIZE)).isEqualTo(65536L);
                assertThat(option(alice, zmq.ZMQ.ZMQ_SNDTIMEO)).isEqualTo(250);
                assertThat(option(alice, zmq.ZMQ.ZMQ_RCVTIMEO)).isEqualTo(300);
                assertThat((byte[]) option(alice, zmq.ZMQ.ZMQ_IDENTITY))
                    .isEqualTo("alice-id".getBytes(StandardCharsets.UTF_8));
                // the engine's flag is the inverse of libzmq's ZMQ_IMMEDIATE
                assertThat(option(alice, zmq.ZMQ.ZMQ_IMMEDIATE)).isEqualTo(false);
                assertThat(option(context.getBean("bob", ZmqPeer.class), zmq.ZMQ.ZMQ_IMMEDIATE)).isEqualTo(true);
            });
    }

    @Test
    void builtInDefaultsApplyWhenNothingIsSet() {
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=inproc://alice").run(context -> {
            assertThat(context).hasNotFailed();
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            assertThat(option(alice, zmq.ZMQ.ZMQ_HANDSHAKE_IVL)).isEqualTo(5000);
            assertThat(option(alice, zmq.ZMQ.ZMQ_LINGER)).isEqualTo(1000);
            assertThat(option(alice, zmq.ZMQ.ZMQ_SNDHWM)).isEqualTo(1000);
            assertThat(option(alice, zmq.ZMQ.ZMQ_RCVHWM)).isEqualTo(1000);
            assertThat(option(alice, zmq.ZMQ.ZMQ_RECONNECT_IVL)).isEqualTo(100);
            assertThat(option(alice, zmq.ZMQ.ZMQ_HEARTBEAT_IVL)).isEqualTo(0);
            // the one difference from libzmq's defaults made for safety (libzmq: -1)
            assertThat(option(alice, zmq.ZMQ.ZMQ_MAXMSGSIZE)).isEqualTo(1024L * 1024);
            assertThat(option(alice, zmq.ZMQ.ZMQ_SNDTIMEO)).isEqualTo(-1);
            assertThat(option(alice, zmq.ZMQ.ZMQ_RCVTIMEO)).isEqualTo(-1);
            // libzmq's immediate=false is the engine's true
            assertThat(option(alice, zmq.ZMQ.ZMQ_IMMEDIATE)).isEqualTo(true);
            assertThat(option(alice, zmq.ZMQ.ZMQ_IPV6)).isEqualTo(false);
        });
    }

    @Test
    void maxMessageSizeMinusOneRestoresLibzmqsNoLimitFromTheDefaultsOrPerSocket() {
        this.runner.withPropertyValues("zmq.defaults.max-message-size=-1", "zmq.peers.a.bind[0]=inproc://a",
                "zmq.peers.b.max-message-size=4096")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(option(context.getBean("a", ZmqPeer.class), zmq.ZMQ.ZMQ_MAXMSGSIZE)).isEqualTo(-1L);
                assertThat(option(context.getBean("b", ZmqPeer.class), zmq.ZMQ.ZMQ_MAXMSGSIZE)).isEqualTo(4096L);
            });
        this.runner.withPropertyValues("zmq.peers.c.max-message-size=-1", "zmq.peers.d.bind[0]=inproc://d")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(option(context.getBean("c", ZmqPeer.class), zmq.ZMQ.ZMQ_MAXMSGSIZE)).isEqualTo(-1L);
                assertThat(option(context.getBean("d", ZmqPeer.class), zmq.ZMQ.ZMQ_MAXMSGSIZE))
                    .isEqualTo(1024L * 1024);
            });
    }

    @Test
    void socketOptionBeatsDefaultsAndContextLingerFillsTheRest() {
        this.runner.withPropertyValues("zmq.defaults.send-hwm=50", "zmq.defaults.handshake-interval=2s",
                "zmq.context.linger=250ms", "zmq.peers.a.bind[0]=inproc://a", "zmq.peers.b.send-hwm=70",
                "zmq.peers.b.handshake-interval=3s", "zmq.peers.b.linger=20ms")
            .run(context -> {
                assertThat(context).hasNotFailed();
                ZmqPeer a = context.getBean("a", ZmqPeer.class);
                ZmqPeer b = context.getBean("b", ZmqPeer.class);
                assertThat(option(a, zmq.ZMQ.ZMQ_SNDHWM)).isEqualTo(50);
                assertThat(option(b, zmq.ZMQ.ZMQ_SNDHWM)).isEqualTo(70);
                assertThat(option(a, zmq.ZMQ.ZMQ_HANDSHAKE_IVL)).isEqualTo(2000);
                assertThat(option(b, zmq.ZMQ.ZMQ_HANDSHAKE_IVL)).isEqualTo(3000);
                assertThat(option(a, zmq.ZMQ.ZMQ_LINGER)).isEqualTo(250);
                assertThat(option(b, zmq.ZMQ.ZMQ_LINGER)).isEqualTo(20);
                // an option set nowhere keeps its built-in default
                assertThat(option(a, zmq.ZMQ.ZMQ_RCVHWM)).isEqualTo(1000);
            });
    }

    @Test
    void defaultsLingerBeatsContextLinger() {
        this.runner.withPropertyValues("zmq.context.linger=250ms", "zmq.defaults.linger=100ms",
                "zmq.peers.a.bind[0]=inproc://a", "zmq.peers.b.linger=0ms")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(option(context.getBean("a", ZmqPeer.class), zmq.ZMQ.ZMQ_LINGER)).isEqualTo(100);
                assertThat(option(context.getBean("b", ZmqPeer.class), zmq.ZMQ.ZMQ_LINGER)).isEqualTo(0);
            });
    }

    @Test
    void socketCustomizersRunOnEveryPeerWithItsNameAndType() {
        List<String> customized = new CopyOnWriteArrayList<>();
        this.runner.withPropertyValues("zmq.peers.alice.receive-hwm=5", "zmq.peers.bob.bind[0]=inproc://bob")
            .withBean(ZmqSocketCustomizer.class, () -> (name, type, socket) -> {
                customized.add(name + ":" + type);
                socket.setRcvHWM(4242);
            })
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(customized).containsExactlyInAnyOrder("alice:" + SocketType.PEER, "bob:" + SocketType.PEER);
                // customizers run after the configured options, so theirs win
                assertThat(option(context.getBean("alice", ZmqPeer.class), zmq.ZMQ.ZMQ_RCVHWM)).isEqualTo(4242);
                assertThat(option(context.getBean("bob", ZmqPeer.class), zmq.ZMQ.ZMQ_RCVHWM)).isEqualTo(4242);
            });
    }

    @Test
    void contextCustomizerReceivesTheContext() {
        AtomicReference<ZMQ.Context> customized = new AtomicReference<>();
        this.runner.withBean(ZmqContextCustomizer.class, () -> customized::set).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(customized.get()).isNotNull().isSameAs(context.getBean(ZmqContextManager.class).context());
        });
    }

    @Test
    void userContextManagerReplacesTheStartersOne() {
        ZmqContextManager own = new ZmqContextManager(1, 16);
        this.runner.withBean("ownContextManager", ZmqContextManager.class, () -> own)
            .withPropertyValues("zmq.context.max-sockets=1024", "zmq.peers.alice.bind[0]=inproc://alice")
            .run(context -> {
                assertThat(context).hasNotFailed().hasSingleBean(ZmqContextManager.class);
                assertThat(context.getBean(ZmqContextManager.class)).isSameAs(own);
                assertThat(own.context().getMaxSockets()).isEqualTo(16);
                assertThat(context.getBean(ZmqSocketFactory.class).contextManager()).isSameAs(own);
                assertThat(context.getBean("alice", ZmqPeer.class).boundEndpoints()).containsExactly("inproc://alice");
            });
        assertThat(own.isTerminated()).as("closed with the application context").isTrue();
    }

    @Test
    void userMessageConverterNamedZmqMessageConverterIsUsedByConvertAndSend() {
        this.runner.withBean(ZmqAutoConfiguration.MESSAGE_CONVERTER_BEAN, MessageConverter.class, FixedConverter::new)
            .withPropertyValues("zmq.peers.alice.bind[0]=inproc://converter", "zmq.peers.bob.linger=0")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ZmqAutoConfiguration.MESSAGE_CONVERTER_BEAN))
                    .isInstanceOf(FixedConverter.class);
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
                int aliceId = bob.connect("inproc://converter");

                bob.convertAndSend(aliceId, new Quote("ACME", 12.5));

                ZmqPeer.Received received = alice.receive(RECEIVE_TIMEOUT);
                assertThat(received).as("message within %s", RECEIVE_TIMEOUT).isNotNull();
                assertThat(new String(received.payload(), StandardCharsets.UTF_8)).isEqualTo(FixedConverter.PAYLOAD);
            });
    }

    @Test
    void convertAndSendWritesARecordAsJson() {
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=inproc://quotes", "zmq.peers.bob.linger=0")
            .run(context -> {
                assertThat(context).hasNotFailed();
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
                int aliceId = bob.connect("inproc://quotes");

                bob.convertAndSend(aliceId, new Quote("ACME", 12.5));

                ZmqPeer.Received received = alice.receive(RECEIVE_TIMEOUT);
                assertThat(received).as("message within %s", RECEIVE_TIMEOUT).isNotNull();
                Map<String, Object> json = JsonMapper.builder().build()
                    .readValue(received.payload(), new TypeReference<Map<String, Object>>() { });
                assertThat(json).containsOnly(entry("symbol", "ACME"), entry("price", 12.5));
            });
    }

    @Test
    void ipv6OptionIsAcceptedAndApplied() {
        this.runner.withPropertyValues("zmq.peers.alice.ipv6=true", "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.bob.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                assertThat(context).hasNotFailed();
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                assertThat(option(alice, zmq.ZMQ.ZMQ_IPV6)).isEqualTo(true);
                assertThat(option(context.getBean("bob", ZmqPeer.class), zmq.ZMQ.ZMQ_IPV6)).isEqualTo(false);
                assertThat(portOf(alice.boundEndpoints().get(0))).isPositive();
            });
    }

    @Test
    void wildcardAndZeroPortsResolveToRealListeningPorts() {
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:*",
                "zmq.peers.bob.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertListening(context, "alice");
                assertListening(context, "bob");
            });
    }

    private static void assertListening(AssertableApplicationContext context, String name) throws IOException {
        List<String> endpoints = context.getBean(name, ZmqPeer.class).boundEndpoints();
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0)).startsWith("tcp://127.0.0.1:");
        int port = portOf(endpoints.get(0));
        assertThat(port).isBetween(1, 65535);
        // a ZMTP peer greets first: a plain TCP client reads the first greeting byte (0xFF) from the real port
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout((int) RECEIVE_TIMEOUT.toMillis());
            InputStream in = client.getInputStream();
            assertThat(in.read()).isEqualTo(0xFF);
        }
    }

    private static Object option(ZmqPeer peer, int option) {
        return ((DefaultZmqPeer) peer).managedSocket().base().getSocketOptx(option);
    }

    private static int portOf(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    record Quote(String symbol, double price) {
    }

    /** A converter that writes the same payload whatever it is given. */
    static class FixedConverter implements MessageConverter {

        static final String PAYLOAD = "fixed-by-user-converter";

        @Override
        public Object fromMessage(Message<?> message, Class<?> targetClass) {
            return null;
        }

        @Override
        public Message<?> toMessage(Object payload, MessageHeaders headers) {
            return MessageBuilder.withPayload(PAYLOAD.getBytes(StandardCharsets.UTF_8)).build();
        }
    }
}
