package io.github.zmqboot.internal.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ProxyStatistics;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.ReservedPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.internal.proxy.TestClients.TIMEOUT;
import static io.github.zmqboot.internal.proxy.TestClients.canBind;
import static io.github.zmqboot.internal.proxy.TestClients.receive;
import static io.github.zmqboot.internal.proxy.TestClients.receiveStrings;
import static io.github.zmqboot.internal.proxy.TestClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Steering a running proxy through its bean: pause holds all traffic and resume delivers all of it; statistics are
 * the exact counts and byte sums of a known traffic pattern, every part of a multipart message counted; terminate
 * frees the ports and start binds them again; steering from many threads at once never races the proxy's loop.
 */
class ProxySteeringTest {

    /** Configured ports, bound to 0, read back and held for the test. */
    @RegisterExtension
    final ReservedPorts reservedPorts = new ReservedPorts();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.proxies.pipe.type=pull-push", "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:0");

    @Test
    void pauseHoldsTrafficAndResumeDeliversAllOfIt() {
        this.runner.run(context -> {
            ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));
                send(producer, "probe");
                assertThat(receiveStrings(consumer)).containsExactly("probe");
                await().atMost(TIMEOUT).until(() -> pipe.statistics().backendMessagesOut() == 1);

                pipe.pause();
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.PAUSED);
                for (int i = 0; i < 500; i++) {
                    send(producer, "held-" + i);
                }
                assertThat(TestClients.arrivesWithin(consumer, Duration.ofSeconds(1))).as("nothing moves while paused")
                    .isFalse();
                assertThat(pipe.statistics().frontendMessagesIn()).as("nothing even read while paused").isEqualTo(1);
                pipe.pause();
                assertThat(pipe.state()).as("pause is idempotent").isEqualTo(ZmqProxy.State.PAUSED);

                pipe.resume();
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);
                for (int i = 0; i < 500; i++) {
                    assertThat(receiveStrings(consumer)).containsExactly("held-" + i);
                }
                await().atMost(TIMEOUT).until(() -> pipe.statistics().backendMessagesOut() == 501);
            }
        });
    }

    @Test
    void statisticsCountEveryPartAndByteOfAKnownPipelinePattern() {
        this.runner.run(context -> {
            ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
            assertThat(pipe.statistics()).isEqualTo(ProxyStatistics.ZERO);
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));
                long parts = 0;
                long bytes = 0;
                for (int i = 0; i < 10; i++) {
                    producer.send(new byte[i * 10]);
                    parts++;
                    bytes += i * 10;
                }
                for (int i = 0; i < 5; i++) {
                    producer.sendMore(new byte[3]);
                    producer.sendMore(new byte[0]);
                    producer.send(new byte[100]);
                    parts += 3;
                    bytes += 103;
                }
                for (int i = 0; i < 10; i++) {
                    assertThat(receive(consumer).getFirst().size()).isEqualTo(i * 10);
                }
                for (int i = 0; i < 5; i++) {
                    ZMsg multipart = receive(consumer);
                    assertThat(multipart).as("a multipart message stays whole").hasSize(3);
                    assertThat(multipart.stream().mapToInt(frame -> frame.size())).containsExactly(3, 0, 100);
                }
                ProxyStatistics expected = new ProxyStatistics(parts, bytes, 0, 0, 0, 0, parts, bytes);
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(pipe.statistics()).isEqualTo(expected));
                assertThat(expected.frontendMessagesIn()).isEqualTo(25);
                assertThat(expected.frontendBytesIn()).isEqualTo(965);
            }
        });
    }

    @Test
    void statisticsCountEnvelopesOfRequestsAndRepliesOnBothSides() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.proxies.broker.type=router-dealer",
                    "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                ZmqProxy broker = context.getBean("broker", ZmqProxy.class);
                try (TestClients clients = new TestClients()) {
                    clients.worker("echo", SocketType.REP, broker.backendEndpoints().get(0), request -> "ok");
                    ZMQ.Socket client = clients.create(SocketType.REQ);
                    client.setIdentity("client-1".getBytes());
                    client.connect(broker.frontendEndpoints().get(0));
                    int requests = 7;
                    for (int i = 0; i < requests; i++) {
                        client.send(new byte[64]);
                        assertThat(receiveStrings(client)).containsExactly("ok");
                    }
                    // a request is [identity "client-1", empty delimiter, 64 bytes]; a reply [identity, empty, "ok"]
                    ProxyStatistics expected = new ProxyStatistics(3 * requests, 72 * requests, 3 * requests,
                            10 * requests, 3 * requests, 10 * requests, 3 * requests, 72 * requests);
                    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(broker.statistics()).isEqualTo(expected));
                }
            });
    }

    @Test
    void terminateFreesThePortsAndStartBindsThemAgain() throws Exception {
        // configured ports, held for the test: no other process can take them while the proxy has let go of them
        int frontendPort = this.reservedPorts.reserve().port();
        int backendPort = this.reservedPorts.reserve().port();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.proxies.pipe.type=pull-push",
                    "zmq.proxies.pipe.frontend.bind[0]=tcp://127.0.0.1:" + frontendPort,
                    "zmq.proxies.pipe.backend.bind[0]=tcp://127.0.0.1:" + backendPort)
            .run(context -> {
                ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
                try (TestClients clients = new TestClients()) {
                    ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                    ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));
                    send(producer, "before");
                    assertThat(receiveStrings(consumer)).containsExactly("before");

                    pipe.terminate();
                    assertThat(pipe.state()).isEqualTo(ZmqProxy.State.TERMINATED);
                    // the connections the proxy accepted close in the background: a message sent before the client
                    // saw its connection end could go into that connection and be lost with it, as in libzmq
                    ZmqSocketFactory factory = context.getBean(ZmqSocketFactory.class);
                    await().atMost(TIMEOUT).until(() -> factory.connectionCounts("pipe.frontend").open() == 0
                            && factory.connectionCounts("pipe.backend").open() == 0);
                    assertThat(pipe.frontendEndpoints()).isEmpty();
                    assertThat(pipe.backendEndpoints()).isEmpty();
                    assertThat(canBind(frontendPort)).as("frontend port free when terminate() returns").isTrue();
                    assertThat(canBind(backendPort)).as("backend port free when terminate() returns").isTrue();
                    assertThatIllegalStateException().isThrownBy(pipe::pause);
                    pipe.terminate();
                    assertThat(pipe.state()).as("terminate is idempotent").isEqualTo(ZmqProxy.State.TERMINATED);

                    pipe.start();
                    assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);
                    assertThat(pipe.frontendEndpoints()).containsExactly("tcp://127.0.0.1:" + frontendPort);
                    assertThat(pipe.backendEndpoints()).containsExactly("tcp://127.0.0.1:" + backendPort);
                    // the clients reconnect on their own to the endpoints bound anew
                    await().atMost(TIMEOUT).until(() -> factory.connectionCounts("pipe.frontend").open() == 1
                            && factory.connectionCounts("pipe.backend").open() == 1);
                    send(producer, "after");
                    assertThat(receiveStrings(consumer)).containsExactly("after");
                    await().atMost(TIMEOUT).until(() -> pipe.statistics().backendMessagesOut() == 2);
                }
            });
    }

    @Test
    void steeringFromManyThreadsAtOnceNeverRacesTheLoopNorLosesAMessage() {
        this.runner.run(context -> {
            ZmqProxy pipe = context.getBean("pipe", ZmqProxy.class);
            int messages = 2000;
            ExecutorService steerers = Executors.newFixedThreadPool(4);
            try (TestClients clients = new TestClients()) {
                ZMQ.Socket producer = clients.connect(SocketType.PUSH, pipe.frontendEndpoints().get(0));
                ZMQ.Socket consumer = clients.connect(SocketType.PULL, pipe.backendEndpoints().get(0));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> steering = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    steering.add(steerers.submit(() -> {
                        go.await();
                        for (int i = 0; i < 50; i++) {
                            pipe.pause();
                            pipe.statistics();
                            pipe.resume();
                        }
                        return null;
                    }));
                }
                CompletableFuture<Void> production = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < messages; i++) {
                        send(producer, "m-" + i);
                    }
                });
                go.countDown();
                for (int i = 0; i < messages; i++) {
                    assertThat(receiveStrings(consumer)).containsExactly("m-" + i);
                }
                for (Future<?> future : steering) {
                    future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
                production.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(pipe.state()).isEqualTo(ZmqProxy.State.RUNNING);
                await().atMost(TIMEOUT).until(() -> pipe.statistics().backendMessagesOut() == messages);
            }
            finally {
                steerers.shutdownNow();
            }
        });
    }
}
