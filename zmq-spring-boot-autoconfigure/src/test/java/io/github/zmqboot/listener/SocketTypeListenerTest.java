package io.github.zmqboot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.Test;
import org.zeromq.ZMsg;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code @ZmqListener} on every socket type the contract lists (SERVER, ROUTER, DEALER, REP, PULL, SUB, PAIR,
 * DISH, GATHER), over tcp, ipc and inproc, with replies where the type has them: ROUTER and DEALER echo the envelope
 * (a REQ client and a DEALER client through a ROUTER listener), REP always answers, even from a void handler.
 */
class SocketTypeListenerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withUserConfiguration(Handlers.class)
        .withPropertyValues("zmq.context.linger=0",
                "zmq.sockets.router.type=ROUTER", "zmq.sockets.router.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.rep.type=REP", "zmq.sockets.rep.bind[0]=ipc://*",
                "zmq.sockets.server.type=SERVER", "zmq.sockets.server.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.pull.type=PULL", "zmq.sockets.pull.bind[0]=inproc://listener-pull",
                "zmq.sockets.sub.type=SUB", "zmq.sockets.sub.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.sub.subscribe[0]=prices.",
                "zmq.sockets.pair.type=PAIR", "zmq.sockets.pair.bind[0]=inproc://listener-pair",
                "zmq.sockets.dish.type=DISH", "zmq.sockets.dish.bind[0]=inproc://listener-dish",
                "zmq.sockets.dish.join[0]=news",
                "zmq.sockets.gather.type=GATHER", "zmq.sockets.gather.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.dealer.type=DEALER", "zmq.sockets.dealer.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.dealer.routing-id=dealer-1",
                "zmq.sockets.req.type=REQ", "zmq.sockets.dealerClient.type=DEALER",
                "zmq.sockets.client.type=CLIENT", "zmq.sockets.push.type=PUSH", "zmq.sockets.pub.type=PUB",
                "zmq.sockets.pairClient.type=PAIR", "zmq.sockets.radio.type=RADIO", "zmq.sockets.scatter.type=SCATTER",
                "zmq.sockets.router2.type=ROUTER", "zmq.sockets.router2.routing-id=r2");

    @Test
    void routerEchoesTheEnvelopeToAReqClientAndToADealerClient() {
        this.runner.run(context -> {
            String endpoint = socket(context, "router").boundEndpoints().get(0);
            ZmqSocket req = socket(context, "req");
            req.connect(endpoint);
            assertThat(req.convertSendAndReceive("ping", String.class, TIMEOUT)).isEqualTo("router:ping");
            ZmqSocket dealer = socket(context, "dealerClient");
            dealer.connect(endpoint);
            assertThat(dealer.convertSendAndReceive("pong", String.class, TIMEOUT)).isEqualTo("router:pong");
        });
    }

    @Test
    void repAlwaysAnswersEvenFromAVoidHandler() {
        this.runner.run(context -> {
            ZmqSocket req = socket(context, "req");
            req.connect(socket(context, "rep").boundEndpoints().get(0));
            assertThat(req.convertSendAndReceive("silent", String.class, TIMEOUT)).isEmpty();
            assertThat(req.convertSendAndReceive("again", String.class, TIMEOUT)).isEmpty();
            assertThat(context.getBean(Handlers.class).received).contains("rep:silent", "rep:again");
        });
    }

    @Test
    void serverRepliesToTheRoutingIdOfTheClient() {
        this.runner.run(context -> {
            ZmqSocket client = socket(context, "client");
            client.connect(socket(context, "server").boundEndpoints().get(0));
            assertThat(client.convertSendAndReceive("hi", String.class, TIMEOUT)).startsWith("server:hi from ");
        });
    }

    @Test
    void dealerListenerRepliesWithTheEnvelopeToARouter() {
        this.runner.run(context -> {
            ZmqSocket router = socket(context, "router2");
            router.connect(socket(context, "dealer").boundEndpoints().get(0));
            // the ROUTER can address the DEALER only once the connection is up: resend until answered
            ZMsg[] reply = new ZMsg[1];
            await().atMost(TIMEOUT).until(() -> {
                ZMsg request = new ZMsg();
                request.add("dealer-1");
                request.add("");
                request.add("work");
                router.send(request);
                reply[0] = router.receive(Duration.ofMillis(500));
                return reply[0] != null;
            });
            assertThat(reply[0].popString()).isEqualTo("dealer-1");
            assertThat(reply[0].popString()).isEmpty();
            assertThat(reply[0].popString()).isEqualTo("dealer:work");
        });
    }

    @Test
    void pullSubPairDishAndGatherListenersReceive() {
        this.runner.run(context -> {
            Handlers handlers = context.getBean(Handlers.class);
            ZmqSocket push = socket(context, "push");
            push.connect("inproc://listener-pull");
            push.send("task");
            ZmqSocket pairClient = socket(context, "pairClient");
            pairClient.connect("inproc://listener-pair");
            pairClient.send("paired");
            ZmqSocket scatter = socket(context, "scatter");
            scatter.connect(socket(context, "gather").boundEndpoints().get(0));
            scatter.send("gathered");
            ZmqSocket pub = socket(context, "pub");
            pub.connect(socket(context, "sub").boundEndpoints().get(0));
            ZmqSocket radio = socket(context, "radio");
            radio.connect("inproc://listener-dish");
            // subscriptions and joins travel asynchronously: publish until the listener has seen one of each
            await().atMost(TIMEOUT).until(() -> {
                ZMsg twoFrames = new ZMsg();
                twoFrames.add("prices.acme");
                twoFrames.add("12.5");
                pub.send(twoFrames);
                pub.send("prices.single");
                pub.send("weather.ignored");
                ZMsg news = new ZMsg();
                news.add("news");
                news.add("extra!");
                radio.send(news);
                return handlers.received.contains("sub:prices.acme:12.5")
                        && handlers.received.contains("sub:prices.:prices.single")
                        && handlers.received.contains("dish:extra!");
            });
            await().atMost(TIMEOUT).until(() -> handlers.received.containsAll(
                    List.of("pull:task", "pair:paired", "gather:gathered")));
            assertThat(handlers.received).noneMatch(entry -> entry.contains("weather"));
        });
    }

    private static ZmqSocket socket(org.springframework.context.ApplicationContext context, String name) {
        return context.getBean(name, ZmqSocket.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        final List<String> received = new CopyOnWriteArrayList<>();

        @ZmqListener(socket = "router")
        String router(String text) {
            return "router:" + text;
        }

        @ZmqListener(socket = "rep")
        void rep(String text) {
            this.received.add("rep:" + text);
        }

        @ZmqListener(socket = "server")
        String server(String text, @RoutingId int client) {
            return "server:" + text + " from " + client;
        }

        @ZmqListener(socket = "dealer")
        String dealer(String text) {
            return "dealer:" + text;
        }

        @ZmqListener(socket = "pull")
        void pull(String text) {
            this.received.add("pull:" + text);
        }

        @ZmqListener(socket = "sub")
        void sub(String text, @Header(ZmqHeaders.TOPIC) String topic) {
            this.received.add("sub:" + topic + ":" + text);
        }

        @ZmqListener(socket = "pair")
        void pair(byte[] payload) {
            this.received.add("pair:" + new String(payload, StandardCharsets.UTF_8));
        }

        @ZmqListener(socket = "dish")
        void dish(String text) {
            this.received.add("dish:" + text);
        }

        @ZmqListener(socket = "gather")
        void gather(String text) {
            this.received.add("gather:" + text);
        }
    }
}
