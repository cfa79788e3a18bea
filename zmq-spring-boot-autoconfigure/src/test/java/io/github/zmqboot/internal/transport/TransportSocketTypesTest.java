package io.github.zmqboot.internal.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every socket type over this project's own transports, bean to bean in one application context: PUB/SUB (the
 * subscriptions travel to the publisher over the connection), PUSH/PULL, REQ/REP answered by a {@code @ZmqListener},
 * DEALER/ROUTER, a router-dealer proxy whose frontend binds the transport (its backend tcp) with a client over the
 * transport, PAIR, CHANNEL, CLIENT/SERVER, SCATTER/GATHER, RADIO/DISH (joins travel like subscriptions) and
 * XPUB/XSUB. Each test runs over ws and over ipc (PEER has its own tests).
 */
class TransportSocketTypesTest {

    /** Upper bound of each wait (a fresh connect may stall until the handshake interval and reconnect). */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final Duration POLL = Duration.ofMillis(100);

    private static final int MESSAGES = 100;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0");

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/prices", "ipc://*" })
    void subscribersGetTheirTopicsOnlyOnceTheirSubscriptionsReachedThePublisher(String bind) {
        this.runner.withPropertyValues("zmq.sockets.prices.type=PUB", "zmq.sockets.prices.bind[0]=" + bind,
                "zmq.sockets.acme.type=SUB", "zmq.sockets.deaf.type=SUB")
            .run(context -> {
                ZmqSocket pub = context.getBean("prices", ZmqSocket.class);
                ZmqSocket acme = context.getBean("acme", ZmqSocket.class);
                ZmqSocket deaf = context.getBean("deaf", ZmqSocket.class);
                String endpoint = pub.boundEndpoints().get(0);
                acme.subscribe("acme.");
                acme.connect(endpoint);
                deaf.connect(endpoint);

                // a PUB drops what no subscriber asked for: nothing arrives unless the subscription got there
                assertThat(publishUntilReceived(pub, acme, "acme.")).doesNotContain("other.");

                // a subscription made on a live connection travels too
                acme.subscribe("beta.");
                assertThat(publishUntilReceived(pub, acme, "beta.")).doesNotContain("other.");

                pub.send(topicAndPayload("other.", "not for acme"));
                pub.send(topicAndPayload("acme.", "last"));
                ZMsg message;
                while ((message = acme.receive(TIMEOUT)) != null) {
                    String topic = message.popString();
                    assertThat(topic).isIn("acme.", "beta.");
                    if ("last".equals(message.popString())) {
                        break;
                    }
                }
                assertThat(message).as("the last acme message arrived").isNotNull();
                assertThat(deaf.receive(Duration.ofMillis(300))).as("a SUB without subscription").isNull();
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/work", "ipc://*" })
    void pushSendsEveryMessageInOrderToPull(String bind) {
        this.runner.withPropertyValues("zmq.sockets.sink.type=PULL", "zmq.sockets.sink.bind[0]=" + bind,
                "zmq.sockets.source.type=PUSH")
            .run(context -> {
                ZmqSocket pull = context.getBean("sink", ZmqSocket.class);
                ZmqSocket push = context.getBean("source", ZmqSocket.class);
                push.connect(pull.boundEndpoints().get(0));

                for (int i = 0; i < MESSAGES; i++) {
                    push.send("task " + i);
                }
                for (int i = 0; i < MESSAGES; i++) {
                    ZMsg task = pull.receive(TIMEOUT);
                    assertThat(task).as("task %d", i).isNotNull();
                    assertThat(task.popString()).isEqualTo("task " + i);
                }
            });
    }

    /**
     * Many more messages than the small queues hold: the engine stops reading while the receiving pipe is full and
     * resumes when the receiver drains it, losing and reordering nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/stream", "ipc://*" })
    void pushStreamsManyMessagesThroughSmallQueuesInOrder(String bind) throws Exception {
        int count = 20_000;
        this.runner.withPropertyValues("zmq.sockets.sink.type=PULL", "zmq.sockets.sink.bind[0]=" + bind,
                "zmq.sockets.sink.receive-hwm=10", "zmq.sockets.source.type=PUSH", "zmq.sockets.source.send-hwm=10")
            .run(context -> {
                ZmqSocket pull = context.getBean("sink", ZmqSocket.class);
                ZmqSocket push = context.getBean("source", ZmqSocket.class);
                push.connect(pull.boundEndpoints().get(0));
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < count; i++) {
                        push.send("item " + i + " " + "x".repeat(i % 200));
                    }
                });
                for (int i = 0; i < count; i++) {
                    ZMsg item = pull.receive(TIMEOUT);
                    assertThat(item).as("item %d", i).isNotNull();
                    assertThat(item.popString()).isEqualTo("item " + i + " " + "x".repeat(i % 200));
                }
                sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/echo", "ipc://*" })
    void reqGetsTheAnswerOfAListenerOnRep(String bind) {
        this.runner.withBean(Echo.class)
            .withPropertyValues("zmq.sockets.echo.type=REP", "zmq.sockets.echo.bind[0]=" + bind,
                    "zmq.sockets.asker.type=REQ")
            .run(context -> {
                ZmqSocket req = context.getBean("asker", ZmqSocket.class);
                req.connect(context.getBean("echo", ZmqSocket.class).boundEndpoints().get(0));

                for (int i = 0; i < MESSAGES; i++) {
                    req.send("question " + i);
                    ZMsg answer = req.receive(TIMEOUT);
                    assertThat(answer).as("answer %d", i).isNotNull();
                    assertThat(answer.popString()).isEqualTo("echo question " + i);
                }
                assertThat(context.getBean(Echo.class).heard).hasValue(MESSAGES);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/desk", "ipc://*" })
    void routerAnswersEachDealerThroughItsIdentity(String bind) {
        this.runner.withPropertyValues("zmq.sockets.desk.type=ROUTER", "zmq.sockets.desk.bind[0]=" + bind,
                "zmq.sockets.ann.type=DEALER", "zmq.sockets.ann.routing-id=ann", "zmq.sockets.bob.type=DEALER",
                "zmq.sockets.bob.routing-id=bob")
            .run(context -> {
                ZmqSocket router = context.getBean("desk", ZmqSocket.class);
                String endpoint = router.boundEndpoints().get(0);
                List<ZmqSocket> dealers = List.of(context.getBean("ann", ZmqSocket.class),
                        context.getBean("bob", ZmqSocket.class));
                dealers.forEach(dealer -> dealer.connect(endpoint));

                for (int i = 0; i < MESSAGES; i++) {
                    for (ZmqSocket dealer : dealers) {
                        dealer.send("hello " + i);
                        ZMsg request = router.receive(TIMEOUT);
                        assertThat(request).as("request %d of %s", i, dealer.name()).isNotNull();
                        String identity = request.popString();
                        assertThat(identity).isEqualTo(dealer.name());
                        assertThat(request.popString()).isEqualTo("hello " + i);
                        ZMsg reply = new ZMsg();
                        reply.add(identity);
                        reply.add("hi " + identity + " " + i);
                        router.send(reply);
                        ZMsg answer = dealer.receive(TIMEOUT);
                        assertThat(answer).as("answer %d to %s", i, dealer.name()).isNotNull();
                        assertThat(answer.popString()).isEqualTo("hi " + dealer.name() + " " + i);
                    }
                }
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/broker", "ipc://*" })
    void aClientGetsAnswersThroughARouterDealerProxyWhoseFrontendBindsTheTransport(String bind) {
        this.runner.withBean(Worker.class)
            .withPropertyValues("zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=" + bind,
                    "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.worker.type=REP",
                    "zmq.sockets.client.type=REQ")
            .run(context -> {
                ZmqProxy broker = context.getBean("broker", ZmqProxy.class);
                String frontend = broker.frontendEndpoints().get(0);
                assertThat(frontend).startsWith(bind.substring(0, bind.indexOf("://") + 3));
                context.getBean("worker", ZmqSocket.class).connect(broker.backendEndpoints().get(0));
                ZmqSocket client = context.getBean("client", ZmqSocket.class);
                client.connect(frontend);

                for (int i = 0; i < MESSAGES; i++) {
                    client.send("job " + i);
                    ZMsg answer = client.receive(TIMEOUT);
                    assertThat(answer).as("answer %d", i).isNotNull();
                    assertThat(answer.popString()).isEqualTo("done job " + i);
                }
                assertThat(context.getBean(Worker.class).jobs).hasValue(MESSAGES);
                // the proxy counts message parts: routing id, empty delimiter and body of each request
                await().atMost(TIMEOUT).untilAsserted(
                        () -> assertThat(broker.statistics().frontendMessagesIn()).isEqualTo(3L * MESSAGES));
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/pair", "ipc://*" })
    void pairAndChannelSocketsTalkBothWays(String bind) {
        this.runner.withPropertyValues("zmq.sockets.left.type=PAIR", "zmq.sockets.left.bind[0]=" + bind,
                "zmq.sockets.right.type=PAIR", "zmq.sockets.up.type=CHANNEL", "zmq.sockets.up.bind[0]=" + bind,
                "zmq.sockets.down.type=CHANNEL")
            .run(context -> {
                for (List<String> names : List.of(List.of("left", "right"), List.of("up", "down"))) {
                    ZmqSocket binder = context.getBean(names.get(0), ZmqSocket.class);
                    ZmqSocket connector = context.getBean(names.get(1), ZmqSocket.class);
                    connector.connect(binder.boundEndpoints().get(0));
                    for (int i = 0; i < MESSAGES; i++) {
                        connector.send("ping " + i);
                        assertThat(receiveText(binder)).isEqualTo("ping " + i);
                        binder.send("pong " + i);
                        assertThat(receiveText(connector)).isEqualTo("pong " + i);
                    }
                }
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/server", "ipc://*" })
    void serverAnswersEachClientThroughTheRoutingIdOfItsMessage(String bind) {
        this.runner.withPropertyValues("zmq.sockets.server.type=SERVER", "zmq.sockets.server.bind[0]=" + bind,
                "zmq.sockets.ann.type=CLIENT", "zmq.sockets.bob.type=CLIENT")
            .run(context -> {
                ZmqSocket server = context.getBean("server", ZmqSocket.class);
                List<ZmqSocket> clients = List.of(context.getBean("ann", ZmqSocket.class),
                        context.getBean("bob", ZmqSocket.class));
                clients.forEach(client -> client.connect(server.boundEndpoints().get(0)));

                for (int i = 0; i < MESSAGES; i++) {
                    for (ZmqSocket client : clients) {
                        client.send(client.name() + " " + i);
                        ZMsg request = server.receive(TIMEOUT);
                        assertThat(request).as("request %d of %s", i, client.name()).isNotNull();
                        ZFrame frame = request.pop();
                        assertThat(frame.getString(ZMQ.CHARSET)).isEqualTo(client.name() + " " + i);
                        ZFrame reply = new ZFrame("re: " + client.name() + " " + i);
                        reply.setRoutingId(frame.getRoutingId());
                        ZMsg answer = new ZMsg();
                        answer.add(reply);
                        server.send(answer);
                        assertThat(receiveText(client)).isEqualTo("re: " + client.name() + " " + i);
                    }
                }
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/gather", "ipc://*" })
    void scatterSendsEveryMessageToGather(String bind) {
        this.runner.withPropertyValues("zmq.sockets.gather.type=GATHER", "zmq.sockets.gather.bind[0]=" + bind,
                "zmq.sockets.scatter.type=SCATTER")
            .run(context -> {
                ZmqSocket gather = context.getBean("gather", ZmqSocket.class);
                ZmqSocket scatter = context.getBean("scatter", ZmqSocket.class);
                scatter.connect(gather.boundEndpoints().get(0));
                for (int i = 0; i < MESSAGES; i++) {
                    scatter.send("part " + i);
                }
                for (int i = 0; i < MESSAGES; i++) {
                    assertThat(receiveText(gather)).isEqualTo("part " + i);
                }
            });
    }

    /** DISH's joins travel to RADIO over the connection as SUB's subscriptions do: RADIO sends only joined groups. */
    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/dish", "ipc://*" })
    void dishGetsOnlyTheGroupsItJoinedOnceItsJoinReachedRadio(String bind) {
        this.runner.withPropertyValues("zmq.sockets.dish.type=DISH", "zmq.sockets.dish.bind[0]=" + bind,
                "zmq.sockets.radio.type=RADIO")
            .run(context -> {
                ZmqSocket dish = context.getBean("dish", ZmqSocket.class);
                ZmqSocket radio = context.getBean("radio", ZmqSocket.class);
                dish.join("weather");
                radio.connect(dish.boundEndpoints().get(0));

                List<String> groups = new ArrayList<>();
                await().atMost(TIMEOUT).pollInterval(Duration.ZERO).until(() -> {
                    radio.send(grouped("sports", "goal"));
                    radio.send(grouped("weather", "sunny"));
                    ZMsg message = dish.receive(POLL);
                    if (message != null) {
                        groups.add(message.peekFirst().getGroup());
                    }
                    return groups.contains("weather");
                });
                assertThat(groups).containsOnly("weather");
            });
    }

    /** XSUB sends its subscriptions as messages, which XPUB shows, and gets what XPUB publishes on the topic. */
    @ParameterizedTest
    @ValueSource(strings = { "ws://127.0.0.1:0/xpub", "ipc://*" })
    void xsubSubscriptionsReachXpubAndItsTopicComesBack(String bind) {
        this.runner.withPropertyValues("zmq.sockets.xpub.type=XPUB", "zmq.sockets.xpub.bind[0]=" + bind,
                "zmq.sockets.xsub.type=XSUB")
            .run(context -> {
                ZmqSocket xpub = context.getBean("xpub", ZmqSocket.class);
                ZmqSocket xsub = context.getBean("xsub", ZmqSocket.class);
                xsub.connect(xpub.boundEndpoints().get(0));
                byte[] subscribe = "\u0001news.".getBytes(ZMQ.CHARSET);
                xsub.send(subscribe);

                ZMsg subscription = xpub.receive(TIMEOUT);
                assertThat(subscription).as("the subscription at XPUB").isNotNull();
                assertThat(subscription.pop().getData()).isEqualTo(subscribe);
                xpub.send(topicAndPayload("sports.", "not for xsub"));
                xpub.send(topicAndPayload("news.", "for xsub"));
                ZMsg news = xsub.receive(TIMEOUT);
                assertThat(news).as("the news at XSUB").isNotNull();
                assertThat(news.popString()).isEqualTo("news.");
                assertThat(news.popString()).isEqualTo("for xsub");
            });
    }

    /**
     * A REQ request and a REP reply are two frames each (delimiter and body), two WebSocket messages, two writes:
     * without TCP_NODELAY, Nagle's algorithm holds the second write back until the peer's delayed ACK (40 ms or more
     * on Linux), at least 80 ms a round trip, 8 s for these. libzmq sets TCP_NODELAY on ws connections as on tcp.
     */
    @Test
    void multipartRoundTripsOverWsAreNotHeldBackByNagle() {
        this.runner.withPropertyValues("zmq.sockets.answerer.type=REP",
                "zmq.sockets.answerer.bind[0]=ws://127.0.0.1:0/quick", "zmq.sockets.asker.type=REQ")
            .run(context -> {
                ZmqSocket rep = context.getBean("answerer", ZmqSocket.class);
                ZmqSocket req = context.getBean("asker", ZmqSocket.class);
                req.connect(rep.boundEndpoints().get(0));
                roundTrip(req, rep, "warm-up");

                long start = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    roundTrip(req, rep, "question " + i);
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("%d round trips", MESSAGES)
                    .isLessThan(Duration.ofSeconds(4));
            });
    }

    private static void roundTrip(ZmqSocket req, ZmqSocket rep, String question) {
        req.send(question);
        ZMsg request = rep.receive(TIMEOUT);
        assertThat(request).as("request %s", question).isNotNull();
        rep.send("re: " + request.popString());
        ZMsg answer = req.receive(TIMEOUT);
        assertThat(answer).as("answer to %s", question).isNotNull();
        assertThat(answer.popString()).isEqualTo("re: " + question);
    }

    /**
     * Publishes {@code topic} (after a message of topic {@code other.}) until {@code sub} got one; returns the topics
     * {@code sub} received meanwhile.
     */
    private static List<String> publishUntilReceived(ZmqSocket pub, ZmqSocket sub, String topic) {
        List<String> received = new ArrayList<>();
        await().atMost(TIMEOUT).pollInterval(Duration.ZERO).until(() -> {
            pub.send(topicAndPayload("other.", "ignored"));
            pub.send(topicAndPayload(topic, "warm-up"));
            ZMsg message = sub.receive(POLL);
            if (message == null) {
                return false;
            }
            received.add(message.popString());
            return received.contains(topic);
        });
        return received;
    }

    private static String receiveText(ZmqSocket socket) {
        ZMsg message = socket.receive(TIMEOUT);
        assertThat(message).as("a message at %s", socket.name()).isNotNull();
        return message.popString();
    }

    private static ZMsg grouped(String group, String payload) {
        ZFrame frame = new ZFrame(payload);
        frame.setGroup(group);
        ZMsg message = new ZMsg();
        message.add(frame);
        return message;
    }

    private static ZMsg topicAndPayload(String topic, String payload) {
        ZMsg message = new ZMsg();
        message.add(topic);
        message.add(payload);
        return message;
    }

    /** Answers on the REP socket {@code echo}. */
    static class Echo {

        final AtomicInteger heard = new AtomicInteger();

        @ZmqListener(socket = "echo")
        String echo(String text) {
            this.heard.incrementAndGet();
            return "echo " + text;
        }
    }

    /** Answers the proxy's clients on the REP socket {@code worker}, connected to the proxy's backend. */
    static class Worker {

        final AtomicInteger jobs = new AtomicInteger();

        @ZmqListener(socket = "worker")
        String work(String job) {
            this.jobs.incrementAndGet();
            return "done " + job;
        }
    }
}
