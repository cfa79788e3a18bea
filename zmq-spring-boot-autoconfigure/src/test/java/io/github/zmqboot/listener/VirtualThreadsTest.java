package io.github.zmqboot.listener;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.core.ZmqThreadFactory.Role;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static io.github.zmqboot.listener.ListenerTestSupport.awaitCounts;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handler threads of a PEER listener with {@code concurrency} 2: virtual with
 * {@code spring.threads.virtual.enabled=true} on Java 21+, platform threads otherwise (property off, or Java before
 * 21). Messages come from two senders so that both handler threads work. The code compiles for Java 17, so
 * {@code Thread.isVirtual()} is called by reflection; the build runs the class on the build JDK and, when it finds one,
 * on a JDK 21+ too.
 */
class VirtualThreadsTest {

    private static final int MESSAGES_PER_SENDER = 20;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=inproc://virtual-threads", "zmq.peers.alice.linger=0",
                "zmq.peers.bob.linger=0", "zmq.peers.carol.linger=0")
        .withBean(ThreadRecorder.class);

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void handlerThreadsAreVirtualWithVirtualThreadsEnabledOnJava21() {
        this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            Map<String, Boolean> threads = handleMessagesFromTwoSenders(context);
            assertThat(threads).isNotEmpty().allSatisfy((name, virtual) -> assertThat(virtual)
                .as("thread '%s' is virtual", name)
                .isTrue());
        });
    }

    /**
     * Only handler threads: every other thread waits inside the engine and stays a platform thread, the reading thread
     * of the running listener included.
     */
    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void onlyHandlerThreadsAreVirtualWithVirtualThreadsEnabledOnJava21() {
        this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            ZmqThreadFactory threads = context.getBean(ZmqThreadFactory.class);
            for (Role role : Role.values()) {
                assertThat(isVirtual(threads.newThread(role, "zmq-test", () -> { }))).as("a %s thread is virtual", role)
                    .isEqualTo(role == Role.HANDLER);
            }
            handleMessagesFromTwoSenders(context);
            Thread reader = Thread.getAllStackTraces()
                .keySet()
                .stream()
                .filter(thread -> thread.getName().equals("zmq-alice-reader"))
                .findFirst()
                .orElseThrow();
            assertThat(isVirtual(reader)).isFalse();
        });
    }

    /**
     * The build runs this class once more on a JDK 21+ when it finds one ({@code VIRTUAL_THREADS_JVM}, see the
     * autoconfigure pom and {@code .ci/run}), with {@code zmq.test.java21=true}: there the test above must run, not be
     * skipped.
     */
    @Test
    @EnabledIfSystemProperty(named = "zmq.test.java21", matches = "true")
    void theRunMeantForJava21RunsOnJava21OrLater() {
        assertThat(Runtime.version().feature()).as("the JVM of the run with zmq.test.java21=true (%s)",
                System.getProperty("java.home")).isGreaterThanOrEqualTo(21);
    }

    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void handlerThreadsArePlatformThreadsBeforeJava21EvenWithVirtualThreadsEnabled() {
        this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
            Map<String, Boolean> threads = handleMessagesFromTwoSenders(context);
            assertThat(threads).isNotEmpty().allSatisfy((name, virtual) -> assertThat(virtual).isFalse());
            assertThat(threads.keySet()).allSatisfy((name) -> assertThat(name).startsWith("zmq-recorder-"));
        });
    }

    @Test
    void handlerThreadsArePlatformThreadsWithoutVirtualThreads() {
        this.runner.run(context -> {
            Map<String, Boolean> threads = handleMessagesFromTwoSenders(context);
            assertThat(threads).isNotEmpty().allSatisfy((name, virtual) -> assertThat(virtual)
                .as("thread '%s' is virtual", name)
                .isFalse());
            assertThat(threads.keySet()).allSatisfy((name) -> assertThat(name).startsWith("zmq-recorder-"));
        });
    }

    /** Sends messages from bob and carol, waits until all are handled, and returns the handler threads seen. */
    private static Map<String, Boolean> handleMessagesFromTwoSenders(ApplicationContext context) {
        ZmqListenerContainer container = container(context, "recorder");
        assertThat(container.getConcurrency()).isEqualTo(2);
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        Client bob = Client.connect(context.getBean("bob", ZmqPeer.class), alice);
        Client carol = Client.connect(context.getBean("carol", ZmqPeer.class), alice);
        for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
            bob.send("bob " + i);
            carol.send("carol " + i);
        }
        for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
            assertThat(bob.receiveText()).isEqualTo("bob " + i);
            assertThat(carol.receiveText()).isEqualTo("carol " + i);
        }
        awaitCounts(container, 2L * MESSAGES_PER_SENDER, 0);
        return Map.copyOf(context.getBean(ThreadRecorder.class).threads);
    }

    /** {@code Thread.isVirtual()} on Java 21+, {@code false} before (no virtual threads exist there). */
    static boolean isVirtual(Thread thread) {
        try {
            Method isVirtual = Thread.class.getMethod("isVirtual");
            return (boolean) isVirtual.invoke(thread);
        }
        catch (NoSuchMethodException ex) {
            return false;
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Echoes every message and records each handler thread's name and whether it is virtual. */
    static class ThreadRecorder {

        final Map<String, Boolean> threads = new ConcurrentHashMap<>();

        @ZmqListener(id = "recorder", peer = "alice", concurrency = "2")
        String onMessage(String text) {
            Thread current = Thread.currentThread();
            this.threads.put(current.getName() + "#" + current.getId(), isVirtual(current));
            return text;
        }
    }
}
