package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static io.github.zmqboot.listener.ListenerTestSupport.LONG_TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.awaitCounts;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Back-pressure of a listener with {@code concurrency} &gt; 1: a slow handler leaves messages queued in the socket
 * (where its HWM pushes back on senders) instead of in memory, and loses none; a handler that stops its own container
 * while the reading thread waits for room in that handler's lane does not wait for itself.
 */
class ListenerBackPressureTest {

    /**
     * The most a container with one busy sender may have taken: its lane full, one in the handler's hand and one the
     * reading thread holds while it waits for room (it hands each message on as it takes it).
     */
    private static final long MOST_TAKEN = ListenerLanes.LANE_CAPACITY + 2;

    /** More than that, and less than the socket's own queues hold (receive HWM and the sender's send HWM). */
    private static final int MESSAGES = 1_500;

    /** How long "the container takes no more" is watched. */
    private static final Duration QUIET = Duration.ofMillis(500);

    /** Handled at once by both handlers: proves the connection carries messages before the bulk is queued to it. */
    private static final String PROBE = "probe";

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0",
                "zmq.peers.bob.linger=0");

    @Test
    void aSlowHandlerLeavesMessagesInTheSocketAndLosesNone() {
        this.runner.withBean(Held.class).run(context -> {
            Held held = context.getBean(Held.class);
            ZmqListenerContainer container = container(context, "held");
            Client bob = connectedThroughAProbe(context, held.probes);
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    bob.send("message " + i);
                }
                await().atMost(TIMEOUT)
                    .until(() -> container.received() >= held.probes.get() + ListenerLanes.LANE_CAPACITY);
                await().during(QUIET)
                    .atMost(QUIET.plus(TIMEOUT))
                    .until(() -> container.received() - held.probes.get(), taken -> taken <= MOST_TAKEN);
            }
            finally {
                held.release.countDown();
            }
            long total = held.probes.get() + MESSAGES;
            await().atMost(LONG_TIMEOUT).untilAsserted(() -> assertThat(container.handled()).isEqualTo(total));
            assertThat(container.received()).isEqualTo(total);
            awaitCounts(container, total, 0);
        });
    }

    @Test
    void aHandlerStoppingItsOwnContainerWhileItsLaneIsFullDoesNotWaitForItself() {
        this.runner.withBean(SelfStopping.class).run(context -> {
            SelfStopping handler = context.getBean(SelfStopping.class);
            ZmqListenerContainer container = container(context, "selfStopping");
            handler.container = container;
            Client bob = connectedThroughAProbe(context, handler.probes);
            for (int i = 0; i < MESSAGES; i++) {
                bob.send("message " + i);
            }

            assertThat(handler.stopReturned.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("the handler's stop of its own container returned").isTrue();
            assertThat(handler.failure.get()).isNull();
            assertThat(container.isRunning()).isFalse();
            await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(container.handled() + container.failed())
                    .as("handled + failed once the stop completed")
                    .isEqualTo(container.received()));
            long total = handler.probes.get() + MESSAGES;
            assertThat(container.received()).isLessThan(total);

            container.start(); // waits for the stop the handler began, then reads the rest
            await().atMost(LONG_TIMEOUT).untilAsserted(() -> assertThat(container.handled()).isEqualTo(total));
        });
    }

    /**
     * Connects bob to alice and sends probes until the listener handled one (a fresh tcp connect can stall, and the
     * engine drops what was queued to a connection it replaces); every probe sent after it arrives before the bulk.
     */
    private static Client connectedThroughAProbe(ApplicationContext context, AtomicInteger probes) {
        Client bob = Client.connect(context, "bob", "alice");
        await().atMost(TIMEOUT).pollInterval(PROBE_INTERVAL).until(() -> {
            if (probes.get() > 0) {
                return true;
            }
            bob.send(PROBE);
            return false;
        });
        return bob;
    }

    /** Holds every call until released. */
    static class Held {

        final CountDownLatch release = new CountDownLatch(1);

        final AtomicInteger probes = new AtomicInteger();

        @ZmqListener(id = "held", peer = "alice", concurrency = "2")
        void onMessage(String text) throws InterruptedException {
            if (PROBE.equals(text)) {
                this.probes.incrementAndGet();
            }
            else {
                this.release.await(LONG_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Stops its own container from its first call, once the reading thread waits for room in this lane. */
    static class SelfStopping {

        volatile ZmqListenerContainer container;

        final AtomicInteger probes = new AtomicInteger();

        final CountDownLatch stopReturned = new CountDownLatch(1);

        final AtomicReference<Throwable> failure = new AtomicReference<>();

        private boolean stopped;

        @ZmqListener(id = "selfStopping", peer = "alice", concurrency = "2")
        void onMessage(String text) {
            if (PROBE.equals(text)) {
                this.probes.incrementAndGet();
                return;
            }
            if (this.stopped) {
                return;
            }
            this.stopped = true;
            try {
                // every message comes from one sender, so to this lane: wait until it is full
                await().atMost(TIMEOUT)
                    .until(() -> this.container.received() > this.probes.get() + ListenerLanes.LANE_CAPACITY);
                this.container.stop();
                this.stopReturned.countDown();
            }
            catch (Throwable ex) {
                this.failure.set(ex);
                throw ex;
            }
        }
    }
}
