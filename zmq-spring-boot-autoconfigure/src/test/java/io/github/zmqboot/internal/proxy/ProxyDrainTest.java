package io.github.zmqboot.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.github.zmqboot.internal.proxy.TestClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful drain: a raw client outside the application sends 20 requests through a router-dealer broker to a slow
 * (100 ms) REP listener of the same application; the application closes while most are still unanswered. The
 * broker stops reading new requests, the listener keeps serving (listeners stop after proxies), and every one of the
 * 20 requests gets its reply before the broker's sockets close.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProxyDrainTest {

    private static final int REQUESTS = 20;

    @Test
    void closingTheApplicationMidWayStillAnswersEveryForwardedRequest(CapturedOutput output) throws Exception {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withUserConfiguration(SlowWorkerConfig.class)
            .withPropertyValues("zmq.proxies.broker.type=router-dealer",
                    "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.worker.type=REP")
            .run(context -> {
                ZmqProxy broker = context.getBean("broker", ZmqProxy.class);
                // the backend's port as bound, read back: the worker connects once the broker runs
                context.getBean("worker", ZmqSocket.class).connect(broker.backendEndpoints().get(0));
                SlowWorker worker = context.getBean(SlowWorker.class);
                try (ZContext clients = new ZContext(1); ZMQ.Socket client = clients.createSocket(SocketType.DEALER)) {
                    client.setLinger(0);
                    client.setReceiveTimeOut((int) TIMEOUT.toMillis());
                    // JeroMQ's connect race (FACTS): a stalled fresh connect heals at the handshake interval (30 s
                    // by default, longer than this test waits); the requests queued meanwhile go out on the retry
                    client.setHandshakeIvl(1000);
                    assertThat(client.connect(broker.frontendEndpoints().get(0))).isTrue();
                    for (int i = 0; i < REQUESTS; i++) {
                        assertThat(client.sendMore(new byte[0])).isTrue();
                        assertThat(client.send("request-" + i)).isTrue();
                    }
                    await().atMost(TIMEOUT).until(() -> worker.handled.get() >= 3);

                    context.close();

                    assertThat(worker.handled.get()).as("answered before the listener stopped").isEqualTo(REQUESTS);
                    Set<String> replies = new HashSet<>();
                    for (int i = 0; i < REQUESTS; i++) {
                        byte[] delimiter = client.recv();
                        assertThat(delimiter).as("reply %d of %d (got %s)", i + 1, REQUESTS, replies).isNotNull();
                        assertThat(delimiter).isEmpty();
                        replies.add(new String(client.recv(), StandardCharsets.UTF_8));
                    }
                    Set<String> expected = new HashSet<>();
                    for (int i = 0; i < REQUESTS; i++) {
                        expected.add("done request-" + i);
                    }
                    assertThat(replies).isEqualTo(expected);
                    assertThat(output.getOut()).contains("Proxy 'broker' drained: every forwarded request was answered");
                }
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowWorkerConfig {

        @Bean
        SlowWorker slowWorker() {
            return new SlowWorker();
        }
    }

    static class SlowWorker {

        final AtomicInteger handled = new AtomicInteger();

        @ZmqListener(socket = "worker")
        String handle(String request) throws InterruptedException {
            Thread.sleep(100); // the work a request takes, not a synchronisation
            this.handled.incrementAndGet();
            return "done " + request;
        }
    }
}
