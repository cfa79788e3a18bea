package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.core.ZmqThreadFactory.Role;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import static io.github.zmqboot.listener.ListenerTestSupport.TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.awaitCounts;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Containers as {@link SmartLifecycle}s of the registry's phase: the registry stops all of them at once through
 * their {@code stop(Runnable)} callbacks and calls back when the last one stopped; containers are created once every
 * singleton exists, and a listener bean created later gets its (started) container at once.
 */
class ListenerRegistryLifecycleTest {

    /** How long "the callback did not come" is watched. */
    private static final Duration QUIET = Duration.ofMillis(300);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=inproc://registry-lifecycle-alice", "zmq.peers.alice.linger=0",
                "zmq.peers.carol.bind[0]=inproc://registry-lifecycle-carol", "zmq.peers.carol.linger=0",
                "zmq.peers.bob.linger=0");

    @Test
    void theRegistryStopsEveryContainerAtOnceAndCallsBackWhenTheLastStopped() {
        RecordingThreads threads = new RecordingThreads();
        this.runner.withBean(ZmqThreadFactory.class, () -> threads).withBean(Blocking.class).withBean(Quick.class)
            .run(context -> {
                ZmqListenerEndpointRegistry registry = context.getBean(ZmqListenerEndpointRegistry.class);
                ZmqListenerContainer blocking = container(context, "blocking");
                ZmqListenerContainer quick = container(context, "quick");
                assertThat(blocking.getPhase()).isEqualTo(ZmqListenerEndpointRegistry.PHASE);
                assertThat(blocking.isAutoStartup()).isTrue();
                Blocking handler = context.getBean(Blocking.class);
                Client.connect(context, "bob", "alice").send("in hand");
                assertThat(handler.entered.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

                AtomicInteger callbacks = new AtomicInteger();
                registry.stop(callbacks::incrementAndGet);
                assertThat(registry.isRunning()).isFalse();
                assertThat(blocking.isRunning()).isFalse();
                assertThat(quick.isRunning()).isFalse();
                // both stops began at once, each on a thread of its own, while one waits for the message in hand
                await().atMost(TIMEOUT).until(() -> threads.stopThreads.size() == 2);
                assertThat(threads.stopThreads).containsExactlyInAnyOrder("zmq-listener-blocking-stop",
                        "zmq-listener-quick-stop");
                await().during(QUIET).atMost(QUIET.multipliedBy(4)).until(() -> callbacks.get() == 0);

                handler.release.countDown();
                await().atMost(TIMEOUT).until(() -> callbacks.get() == 1);
                awaitCounts(blocking, 1, 0);

                // stopped containers call back at once
                CountDownLatch stoppedAgain = new CountDownLatch(1);
                quick.stop(stoppedAgain::countDown);
                assertThat(stoppedAgain.getCount()).isZero();
            });
    }

    @Test
    void containersAreCreatedOnceEverySingletonExists() {
        this.runner.withBean(Quick.class).withBean(Witness.class).run(context -> {
            // the witness is created after the listener bean it depends on, yet saw no container
            assertThat(context.getBean(Witness.class).idsWhenCreated).isEmpty();
            assertThat(context.getBean(ZmqListenerEndpointRegistry.class).getListenerContainerIds())
                .containsExactly("quick");
            assertThat(container(context, "quick").isRunning()).isTrue();
        });
    }

    @Test
    void aListenerBeanCreatedAfterStartupGetsItsContainerStartedAtOnce() {
        this.runner.withBean(Quick.class, Quick::new, bean -> bean.setLazyInit(true)).run(context -> {
            ZmqListenerEndpointRegistry registry = context.getBean(ZmqListenerEndpointRegistry.class);
            assertThat(registry.getListenerContainerIds()).isEmpty();
            context.getBean(Quick.class);
            assertThat(registry.getListenerContainerIds()).containsExactly("quick");
            ZmqListenerContainer quick = container(context, "quick");
            assertThat(quick.isRunning()).isTrue();
            Client bob = Client.connect(context, "bob", "carol");
            bob.send("late");
            assertThat(bob.receiveText()).isEqualTo("quick late");
        });
    }

    /** Blocks in its first call until released. */
    static class Blocking {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @ZmqListener(id = "blocking", peer = "alice")
        void onMessage(String text) throws InterruptedException {
            this.entered.countDown();
            this.release.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Answers at once. */
    static class Quick {

        @ZmqListener(id = "quick", peer = "carol")
        String onMessage(String text) {
            return "quick " + text;
        }
    }

    /** Created after the listener bean it depends on: records the listener ids the registry knew then. */
    static class Witness {

        final Set<String> idsWhenCreated;

        Witness(Quick listener, ZmqListenerEndpointRegistry registry) {
            this.idsWhenCreated = registry.getListenerContainerIds();
        }
    }

    /** Platform threads with the starter's names; records the stop threads. */
    static class RecordingThreads implements ZmqThreadFactory {

        final List<String> stopThreads = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Role role, String name, Runnable task) {
            if (role == Role.LISTENER_STOP) {
                this.stopThreads.add(name);
            }
            return ZmqThreadFactory.platform().newThread(role, name, task);
        }
    }
}
