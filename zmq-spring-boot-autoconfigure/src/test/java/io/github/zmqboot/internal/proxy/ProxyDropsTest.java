package io.github.zmqboot.internal.proxy;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.zmqboot.actuate.ZmqInventory;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ProxyStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.zmqboot.internal.proxy.TestClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that pipelines requests without reading its replies fills its queue at the broker's ROUTER frontend.
 * The proxy sets {@code ROUTER_MANDATORY}, so the engine reports each reply it cannot take ({@code EAGAIN}) instead
 * of dropping it silently: the proxy drops it whole, counts it ({@link DefaultZmqProxy#dropped()}, {@code dropped}
 * in the endpoint), logs the first, keeps serving, and its STATISTICS "out" counters count only what the frontend
 * accepted, which is exactly what the client can read afterwards.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProxyDropsTest {

    private static final int REQUESTS = 2_000;

    private static final int PAYLOAD = 16 * 1024;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.proxies.broker.type=router-dealer",
                "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                "zmq.proxies.broker.frontend.send-hwm=10", "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0");

    @Test
    void repliesANonReadingClientCannotTakeAreDroppedCountedAndNotCountedAsSent(CapturedOutput output) {
        this.runner.run(context -> {
            DefaultZmqProxy broker = context.getBean("broker", DefaultZmqProxy.class);
            try (ZContext clients = new ZContext(1)) {
                AtomicInteger answered = new AtomicInteger();
                AtomicReference<Throwable> workerFailure = new AtomicReference<>();
                Thread worker = echoWorker(clients, broker.backendEndpoints().get(0), answered, workerFailure);
                ZMQ.Socket client = clients.createSocket(SocketType.DEALER);
                client.setLinger(0);
                client.setRcvHWM(1);
                client.setReceiveBufferSize(4096);
                client.setReceiveTimeOut((int) TIMEOUT.toMillis());
                client.setHandshakeIvl(1000); // JeroMQ's connect race heals at the handshake interval (FACTS)
                assertThat(client.connect(broker.frontendEndpoints().get(0))).isTrue();
                byte[] payload = new byte[PAYLOAD];
                Arrays.fill(payload, (byte) 'x');
                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(client.sendMore(new byte[0])).isTrue();
                    assertThat(client.send(payload)).isTrue();
                }
                await().atMost(TIMEOUT.multipliedBy(2)).until(() -> answered.get() == REQUESTS
                        && broker.statistics().backendMessagesIn() == 3L * REQUESTS);
                ProxyStatistics statistics = broker.statistics();
                ProxyDrops dropped = broker.dropped();
                assertThat(workerFailure.get()).isNull();
                assertThat(dropped.frontendFull()).as("replies dropped at the client's full queue").isPositive();
                assertThat(dropped.frontendUnreachable()).isZero();
                assertThat(dropped.backendFull() + dropped.backendUnreachable()).isZero();
                long accepted = REQUESTS - dropped.frontendFull();
                assertThat(statistics.frontendMessagesOut()).as("out counts only what the frontend accepted")
                    .isEqualTo(3 * accepted);
                // a generated routing id is 5 bytes, the delimiter empty
                assertThat(statistics.frontendBytesOut()).isEqualTo(accepted * (5 + PAYLOAD));

                // the client can read exactly the accepted replies, and the broker still serves
                int read = 0;
                client.setReceiveTimeOut(1_000);
                while (client.recv() != null) {
                    assertThat(client.hasReceiveMore()).isTrue();
                    assertThat(client.recv()).hasSize(PAYLOAD);
                    read++;
                }
                assertThat(read).isEqualTo(accepted);
                assertThat(client.sendMore(new byte[0])).isTrue();
                assertThat(client.send("after")).isTrue();
                client.setReceiveTimeOut((int) TIMEOUT.toMillis());
                assertThat(client.recv()).isEmpty();
                assertThat(client.recvStr()).isEqualTo("after");

                @SuppressWarnings("unchecked")
                Map<String, Map<String, Long>> shown = (Map<String, Map<String, Long>>) ZmqInventory.describe(broker)
                    .get("dropped");
                assertThat(shown.get("frontend").get("full")).isEqualTo(dropped.frontendFull());
                assertThat(output.getOut()).containsOnlyOnce("refused a message, its peer's queue is full");
                worker.interrupt();
            }
        });
    }

    /** A REP worker that answers every request with its own payload, on a thread of its own. */
    private static Thread echoWorker(ZContext clients, String endpoint, AtomicInteger answered,
            AtomicReference<Throwable> failure) {
        ZMQ.Socket socket = clients.createSocket(SocketType.REP);
        socket.setLinger(0);
        socket.setReceiveTimeOut(100);
        socket.setHandshakeIvl(1000);
        assertThat(socket.connect(endpoint)).isTrue();
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    byte[] request = socket.recv();
                    if (request != null) {
                        socket.send(request);
                        answered.incrementAndGet();
                    }
                }
            }
            catch (RuntimeException ex) {
                if (!Thread.currentThread().isInterrupted()) {
                    failure.set(ex);
                }
            }
        }, "echo-worker");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
