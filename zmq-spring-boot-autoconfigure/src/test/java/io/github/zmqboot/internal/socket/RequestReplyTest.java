package io.github.zmqboot.internal.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code convertSendAndReceive} on REQ, DEALER and CLIENT: JSON records both ways, DEALER's delimiter handling
 * against REP, exchanges serialised per socket, and the "lazy pirate" recovery after a timeout.
 */
class RequestReplyTest {

    record Quote(String symbol, int quantity) {
    }

    record Priced(String symbol, int quantity, long cents) {
    }

    private final TestSockets sockets = new TestSockets();

    private final List<Thread> servers = new ArrayList<>();

    private final CountDownLatch firstTimedOut = new CountDownLatch(1);

    @AfterEach
    void close() throws InterruptedException {
        this.firstTimedOut.countDown();
        this.sockets.close();
        for (Thread server : this.servers) {
            server.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    void reqSendsARecordAsJsonToARepAndGetsARecordBack() {
        ZmqSocket rep = this.sockets.bound("pricer", SocketType.REP);
        servePricer(rep);
        ZmqSocket req = this.sockets.create("client", SocketType.REQ);
        req.connect(rep.boundEndpoints().get(0));

        Priced priced = req.convertSendAndReceive(new Quote("ACME", 3), Priced.class, TestSockets.PATIENCE);

        assertThat(priced).isEqualTo(new Priced("ACME", 3, 300));
    }

    @Test
    void dealerAddsTheDelimiterForARepAndStripsItFromTheReply() {
        ZmqSocket rep = this.sockets.bound("pricer", SocketType.REP);
        servePricer(rep);
        ZmqSocket dealer = this.sockets.create("client", SocketType.DEALER);
        dealer.connect(rep.boundEndpoints().get(0));

        Priced priced = dealer.convertSendAndReceive(new Quote("ACME", 2), Priced.class, TestSockets.PATIENCE);
        ZMsg whole = dealer.convertSendAndReceive(new Quote("ACME", 1), ZMsg.class, TestSockets.PATIENCE);

        assertThat(priced).isEqualTo(new Priced("ACME", 2, 200));
        assertThat(whole.size()).as("only the payload frame: the delimiter is stripped").isEqualTo(1);
    }

    @Test
    void dealerRequestReachesARouterAsIdentityDelimiterPayload() {
        ZmqSocket router = this.sockets.bound("server", SocketType.ROUTER);
        ZmqSocket dealer = this.sockets.create("client", SocketType.DEALER, options -> options.setRoutingId("d-1"));
        dealer.connect(router.boundEndpoints().get(0));
        Thread server = new Thread(() -> {
            ZMsg request = router.receive(TestSockets.PATIENCE);
            ZMsg reply = new ZMsg();
            reply.add(request.pop()); // identity
            reply.add(request.pop()); // delimiter
            reply.add("frames:" + (request.size() + 2) + ":" + request.popString());
            router.send(reply);
        }, "router-server");
        server.start();
        this.servers.add(server);

        String reply = dealer.convertSendAndReceive("hello", String.class, TestSockets.PATIENCE);

        assertThat(reply).isEqualTo("frames:3:hello");
    }

    @Test
    void clientExchangesWithAServerThatRepliesByRoutingId() {
        ZmqSocket server = this.sockets.bound("server", SocketType.SERVER);
        Thread serving = new Thread(() -> {
            ZMsg request = server.receive(TestSockets.PATIENCE);
            ZFrame frame = request.pop();
            ZFrame answer = new ZFrame("got " + new String(frame.getData(), StandardCharsets.UTF_8));
            answer.setRoutingId(frame.getRoutingId());
            ZMsg reply = new ZMsg();
            reply.add(answer);
            server.send(reply);
        }, "server");
        serving.start();
        this.servers.add(serving);
        ZmqSocket client = this.sockets.create("client", SocketType.CLIENT);
        client.connect(server.boundEndpoints().get(0));

        assertThat(client.convertSendAndReceive("ping", String.class, TestSockets.PATIENCE)).isEqualTo("got ping");
    }

    @Test
    void reqTimesOutThenARetrySucceedsOnAFreshSocketWithoutTheLateReply() throws Exception {
        CountDownLatch gotFirst = slowRep("inproc://generic-lazy-req");
        ZmqSocket req = this.sockets.create("client", SocketType.REQ);
        req.connect("inproc://generic-lazy-req");

        assertThat(req.convertSendAndReceive("first", String.class, Duration.ofSeconds(2))).isNull();
        assertThat(gotFirst.getCount()).as("the first request reached the server").isZero();
        this.firstTimedOut.countDown();

        // a REQ that got no reply could not send again (EFSM): it was replaced, and the late reply died with it
        assertThat(req.convertSendAndReceive("second", String.class, TestSockets.PATIENCE))
            .isEqualTo("answer to second");
    }

    @Test
    void dealerTimesOutThenARetryNeverGetsTheLateReply() {
        CountDownLatch gotFirst = slowRep("inproc://generic-lazy-dealer");
        ZmqSocket dealer = this.sockets.create("client", SocketType.DEALER);
        dealer.connect("inproc://generic-lazy-dealer");

        assertThat(dealer.convertSendAndReceive("first", String.class, Duration.ofSeconds(2))).isNull();
        assertThat(gotFirst.getCount()).as("the first request reached the server").isZero();
        this.firstTimedOut.countDown();

        assertThat(dealer.convertSendAndReceive("second", String.class, TestSockets.PATIENCE))
            .isEqualTo("answer to second");
    }

    /** A REP that answers its first request only after the test released {@link #firstTimedOut}, then promptly. */
    private CountDownLatch slowRep(String endpoint) {
        ZmqSocket rep = this.sockets.create("slow", SocketType.REP);
        rep.bind(endpoint);
        CountDownLatch gotFirst = new CountDownLatch(1);
        Thread server = new Thread(() -> {
            try {
                ZMsg first = rep.receive(TestSockets.PATIENCE);
                gotFirst.countDown();
                await(this.firstTimedOut);
                rep.send("late answer to " + first.popString()); // to the replaced socket: lost
                ZMsg second = rep.receive(TestSockets.PATIENCE);
                rep.send("answer to " + second.popString());
            }
            catch (ZmqException closed) {
                // the test is over
            }
        }, "slow-rep");
        server.start();
        this.servers.add(server);
        return gotFirst;
    }

    @Test
    void concurrentExchangesOnOneReqRunOneAtATimeAndEachGetsItsOwnReply() throws Exception {
        ZmqSocket rep = this.sockets.bound("echo", SocketType.REP);
        Thread server = new Thread(() -> {
            ZMsg request;
            try {
                while ((request = rep.receive(TestSockets.PATIENCE)) != null) {
                    rep.send("re:" + request.popString());
                }
            }
            catch (ZmqException closed) {
                // the test is over
            }
        }, "echo-rep");
        server.start();
        this.servers.add(server);
        ZmqSocket req = this.sockets.create("client", SocketType.REQ);
        req.connect(rep.boundEndpoints().get(0));

        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<?>> results = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            int caller = c;
            results.add(callers.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    String request = caller + "/" + i;
                    assertThat(req.convertSendAndReceive(request, String.class, TestSockets.PATIENCE))
                        .isEqualTo("re:" + request);
                }
                return null;
            }));
        }
        for (Future<?> result : results) {
            result.get(60, TimeUnit.SECONDS);
        }
        callers.shutdown();
    }

    @Test
    void otherTypesCannotExchange() {
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        ZmqSocket server = this.sockets.create("server", SocketType.SERVER);
        assertThatExceptionOfType(ZmqException.class)
            .isThrownBy(() -> push.convertSendAndReceive("x", String.class, Duration.ZERO))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ENOTSUP));
        assertThatExceptionOfType(ZmqException.class)
            .isThrownBy(() -> server.convertSendAndReceive("x", String.class, Duration.ZERO))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ENOTSUP));
    }

    /** A REP that prices every quote at 100 cents a piece until its socket closes. */
    private void servePricer(ZmqSocket rep) {
        Thread server = new Thread(() -> {
            try {
                ZMsg request;
                while ((request = rep.receive(TestSockets.PATIENCE)) != null) {
                    String json = request.popString();
                    Quote quote = new tools.jackson.databind.json.JsonMapper().readValue(json, Quote.class);
                    rep.convertAndSend(new Priced(quote.symbol(), quote.quantity(), quote.quantity() * 100L));
                }
            }
            catch (ZmqException closed) {
                // the test is over
            }
        }, "pricer");
        server.start();
        this.servers.add(server);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
