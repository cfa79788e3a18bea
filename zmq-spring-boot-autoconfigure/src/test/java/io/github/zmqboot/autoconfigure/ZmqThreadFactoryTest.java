package io.github.zmqboot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.core.ZmqThreadFactory.Role;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every thread the starter starts comes from the {@link ZmqThreadFactory} bean: an application's replaces the
 * starter's and sees each role with the starter's name for the thread; the starter's own keeps today's names and
 * makes a proxy's thread the only non-daemon one.
 */
class ZmqThreadFactoryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0",
                "zmq.peers.bob.linger=0", "zmq.proxies.broker.type=pull-push",
                "zmq.proxies.broker.frontend.bind[0]=inproc://thread-factory-front",
                "zmq.proxies.broker.backend.bind[0]=inproc://thread-factory-back")
        .withBean(Echo.class);

    @Test
    void anApplicationThreadFactoryMakesEveryThreadOfTheStarter() {
        RecordingThreads threads = new RecordingThreads();
        this.runner.withBean(ZmqThreadFactory.class, () -> threads).run(context -> {
            assertThat(context).getBeans(ZmqThreadFactory.class).containsOnlyKeys("zmqThreadFactory");
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
            int aliceId = bob.connect(alice.boundEndpoints().get(0)); // over tcp: socket events, so the monitor's thread
            bob.send(aliceId, "one");
            bob.send(aliceId, "two");
            assertThat(receiveText(bob)).startsWith("app-zmq-echo-");
            assertThat(receiveText(bob)).startsWith("app-zmq-echo-");
            await().atMost(TIMEOUT).until(() -> threads.made.containsKey(Role.MONITOR));
        });
        // the context's close stopped the listener on a thread of its own and terminated the context on another
        assertThat(threads.made).containsOnlyKeys(Role.values());
        // handler threads start with the first message of their lane: one sender keeps to one lane
        assertThat(threads.made.get(Role.HANDLER)).isNotEmpty().allMatch(name -> name.matches("zmq-echo-[12]"));
        threads.made.remove(Role.HANDLER);
        assertThat(threads.made).containsOnly(Map.entry(Role.READER, Set.of("zmq-alice-reader")),
                Map.entry(Role.LISTENER_STOP, Set.of("zmq-listener-echo-stop")),
                Map.entry(Role.PROXY, Set.of("zmq-proxy-broker")),
                Map.entry(Role.MONITOR, Set.of("zmq-socket-monitor")),
                Map.entry(Role.CONTEXT_TERMINATION, Set.of("zmq-context-termination")));
    }

    @Test
    void theStartersThreadsKeepTheirNamesAndOnlyAProxyKeepsTheJvmAlive() {
        this.runner.run(context -> {
            assertThat(context).hasBean(ZmqAutoConfiguration.THREAD_FACTORY_BEAN);
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
            int aliceId = bob.connect(alice.boundEndpoints().get(0));
            bob.send(aliceId, "one");
            bob.send(aliceId, "two");
            assertThat(receiveText(bob)).startsWith("zmq-echo-");
            assertThat(receiveText(bob)).startsWith("zmq-echo-");
            Map<String, Boolean> daemonByName = new ConcurrentHashMap<>();
            Thread.getAllStackTraces().keySet().forEach(thread -> daemonByName.put(thread.getName(), thread.isDaemon()));
            assertThat(daemonByName).containsEntry("zmq-alice-reader", true).containsEntry("zmq-proxy-broker", false);
            assertThat(daemonByName).hasEntrySatisfying("zmq-echo-1", daemon -> assertThat(daemon).isTrue());
        });
        ZmqThreadFactory platform = ZmqThreadFactory.platform();
        for (Role role : Role.values()) {
            Thread thread = platform.newThread(role, "zmq-test", () -> { });
            assertThat(thread.getName()).isEqualTo("zmq-test");
            assertThat(thread.isDaemon()).as("%s is a daemon", role).isEqualTo(role != Role.PROXY);
        }
    }

    private static String receiveText(ZmqPeer peer) {
        ZmqPeer.Received received = peer.receive(TIMEOUT);
        assertThat(received).as("a reply within " + TIMEOUT).isNotNull();
        return new String(received.payload(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Answers with the name of the handler thread. */
    static class Echo {

        @ZmqListener(id = "echo", peer = "alice", concurrency = "2")
        String onMessage(String text) {
            return Thread.currentThread().getName();
        }
    }

    /** Records the role and name of every thread it makes, and names it {@code app-<name>}. */
    static class RecordingThreads implements ZmqThreadFactory {

        final Map<Role, Set<String>> made = new ConcurrentHashMap<>();

        @Override
        public Thread newThread(Role role, String name, Runnable task) {
            this.made.computeIfAbsent(role, key -> ConcurrentHashMap.newKeySet()).add(name);
            return ZmqThreadFactory.platform().newThread(role, "app-" + name, task);
        }
    }
}
