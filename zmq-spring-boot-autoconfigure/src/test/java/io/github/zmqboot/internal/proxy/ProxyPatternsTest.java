package io.github.zmqboot.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqProxy;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.internal.proxy.TestClients.TIMEOUT;
import static io.github.zmqboot.internal.proxy.TestClients.receiveStrings;
import static io.github.zmqboot.internal.proxy.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The three conventional proxies of {@code zmq_proxy(3)}, each configured in properties and exercised by real
 * clients over tcp: the shared queue (ROUTER-DEALER) shares requests fairly among workers and routes every reply to
 * its own client, REQ and DEALER clients alike; the forwarder (XSUB-XPUB) carries subscriptions upstream and only
 * matching publications downstream; the pipeline (PULL-PUSH) distributes tasks among workers.
 */
class ProxyPatternsTest {

    private static final int WORKERS = 3;

    private static final int PER_WORKER = 30;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class));

    @Test
    void routerDealerSharesRequestsFairlyAndRoutesEveryReplyToItsClient() {
        this.runner.withPropertyValues("zmq.proxies.broker.type=router-dealer",
                "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.backend.bind[0]=tcp://*:0")
            .run(context -> {
                ZmqProxy broker = context.getBean("broker", ZmqProxy.class);
                assertThat(broker.state()).isEqualTo(ZmqProxy.State.RUNNING);
                String frontend = broker.frontendEndpoints().get(0);
                String backend = broker.backendEndpoints().get(0).replace("0.0.0.0", "127.0.0.1");
                try (TestClients clients = new TestClients()) {
                    List<TestClients.Worker> workers = new ArrayList<>();
                    for (int w = 0; w < WORKERS; w++) {
                        String name = "w" + w;
                        workers.add(clients.worker(name, SocketType.REP, backend, request -> name + "|" + request));
                    }
                    List<ZMQ.Socket> requesters = new ArrayList<>();
                    for (int c = 0; c < WORKERS; c++) {
                        requesters.add(clients.connect(SocketType.REQ, frontend));
                    }
                    // every worker connected: the queue has served each of them once
                    for (int i = 0; workers.stream().anyMatch(worker -> worker.received.isEmpty()); i++) {
                        assertThat(i).as("warm-up requests until every worker answered").isLessThan(200);
                        send(requesters.get(0), "warm-up-" + i);
                        assertThat(receiveStrings(requesters.get(0)).get(0)).endsWith("|warm-up-" + i);
                    }
                    int[] before = workers.stream().mapToInt(worker -> worker.received.size()).toArray();

                    for (int round = 0; round < PER_WORKER; round++) {
                        for (int c = 0; c < requesters.size(); c++) {
                            send(requesters.get(c), "client-" + c + "-request-" + round);
                        }
                        for (int c = 0; c < requesters.size(); c++) {
                            String reply = receiveStrings(requesters.get(c)).get(0);
                            assertThat(reply).matches("w[0-9]\\|client-" + c + "-request-" + round);
                        }
                    }

                    for (int w = 0; w < WORKERS; w++) {
                        int served = workers.get(w).received.size() - before[w];
                        assertThat(served).as("requests served by worker %d", w)
                            .isBetween(PER_WORKER - 2, PER_WORKER + 2);
                    }
                }
            });
    }

    @Test
    void routerDealerServesADealerClientThatSendsTheDelimiterItself() {
        this.runner.withPropertyValues("zmq.proxies.broker.type=router-dealer",
                "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                ZmqProxy broker = context.getBean("broker", ZmqProxy.class);
                try (TestClients clients = new TestClients()) {
                    for (int w = 0; w < 2; w++) {
                        String name = "w" + w;
                        clients.worker(name, SocketType.REP, broker.backendEndpoints().get(0),
                                request -> name + "|" + request);
                    }
                    ZMQ.Socket dealer = clients.connect(SocketType.DEALER, broker.frontendEndpoints().get(0));
                    Set<String> expected = new HashSet<>();
                    for (int i = 0; i < 20; i++) {
                        send(dealer, "", "dealer-request-" + i);
                        expected.add("dealer-request-" + i);
                    }
                    Set<String> answered = new HashSet<>();
                    for (int i = 0; i < 20; i++) {
                        List<String> reply = receiveStrings(dealer);
                        assertThat(reply).hasSize(2);
                        assertThat(reply.get(0)).as("the empty delimiter comes back").isEmpty();
                        answered.add(reply.get(1).substring(reply.get(1).indexOf('|') + 1));
                    }
                    assertThat(answered).isEqualTo(expected);
                }
            });
    }

    @Test
    void xsubXpubForwardsSubscriptionsUpstreamAndOnlyMatchingMessagesDownstream() {
        this.runner.withPropertyValues("zmq.proxies.news.type=xsub-xpub",
                "zmq.proxies.news.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.news.backend.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                ZmqProxy news = context.getBean("news", ZmqProxy.class);
                try (TestClients clients = new TestClients()) {
                    // an XPUB publisher is a PUB that also sees the subscriptions reaching it
                    ZMQ.Socket publisher = clients.connect(SocketType.XPUB, news.frontendEndpoints().get(0));
                    ZMQ.Socket weather = clients.connect(SocketType.SUB, news.backendEndpoints().get(0));
                    weather.subscribe("weather.".getBytes(StandardCharsets.UTF_8));
                    ZMQ.Socket sports = clients.connect(SocketType.SUB, news.backendEndpoints().get(0));
                    sports.subscribe("sports.".getBytes(StandardCharsets.UTF_8));

                    Set<String> upstream = new HashSet<>();
                    while (upstream.size() < 2) {
                        byte[] subscription = TestClients.receive(publisher).getFirst().getData();
                        assertThat(subscription[0]).as("a subscribe message").isEqualTo((byte) 1);
                        upstream.add(new String(subscription, 1, subscription.length - 1, StandardCharsets.UTF_8));
                    }
                    assertThat(upstream).containsExactlyInAnyOrder("weather.", "sports.");

                    // both subscriptions reached the publisher through the proxy, so the proxy's XPUB has them too
                    for (int i = 0; i < 20; i++) {
                        send(publisher, "weather.paris", "rain-" + i);
                        send(publisher, "sports.tennis", "set-" + i);
                        send(publisher, "traffic.a1", "jam-" + i);
                    }
                    for (int i = 0; i < 20; i++) {
                        assertThat(receiveStrings(weather)).containsExactly("weather.paris", "rain-" + i);
                        assertThat(receiveStrings(sports)).containsExactly("sports.tennis", "set-" + i);
                    }
                    assertThat(TestClients.arrivesWithin(weather, Duration.ofMillis(300))).isFalse();
                    assertThat(TestClients.arrivesWithin(sports, Duration.ofMillis(300))).isFalse();
                }
            });
    }

    @Test
    void pullPushDistributesTasksAmongWorkers() {
        this.runner.withPropertyValues("zmq.proxies.tasks.type=pull-push",
                "zmq.proxies.tasks.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.tasks.backend.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                ZmqProxy tasks = context.getBean("tasks", ZmqProxy.class);
                try (TestClients clients = new TestClients()) {
                    List<TestClients.Worker> workers = new ArrayList<>();
                    for (int w = 0; w < WORKERS; w++) {
                        workers.add(clients.worker("w" + w, SocketType.PULL, tasks.backendEndpoints().get(0), null));
                    }
                    ZMQ.Socket producer = clients.connect(SocketType.PUSH, tasks.frontendEndpoints().get(0));
                    // one task at a time until every worker got one: all of them are connected
                    for (int i = 0; workers.stream().anyMatch(worker -> worker.received.isEmpty()); i++) {
                        assertThat(i).as("warm-up tasks until every worker got one").isLessThan(200);
                        int sent = i + 1;
                        send(producer, "warm-up-" + i);
                        await().atMost(TIMEOUT)
                            .until(() -> workers.stream().mapToInt(worker -> worker.received.size()).sum() == sent);
                    }
                    int[] before = workers.stream().mapToInt(worker -> worker.received.size()).toArray();
                    int warmUps = IntStream.of(before).sum();

                    List<String> sent = new ArrayList<>();
                    for (int i = 0; i < WORKERS * PER_WORKER; i++) {
                        send(producer, "task-" + i);
                        sent.add("task-" + i);
                    }
                    await().atMost(TIMEOUT).until(() -> workers.stream().mapToInt(worker -> worker.received.size())
                        .sum() == warmUps + sent.size());

                    List<String> done = new ArrayList<>();
                    for (int w = 0; w < WORKERS; w++) {
                        List<String> received = workers.get(w).received;
                        List<String> tasksOfWorker = received.subList(before[w], received.size());
                        assertThat(tasksOfWorker.size()).as("tasks of worker %d", w)
                            .isBetween(PER_WORKER - 2, PER_WORKER + 2);
                        done.addAll(tasksOfWorker);
                    }
                    assertThat(done).containsExactlyInAnyOrderElementsOf(sent);
                }
            });
    }
}
