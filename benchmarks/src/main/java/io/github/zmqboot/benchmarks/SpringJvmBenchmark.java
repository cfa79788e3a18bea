package io.github.zmqboot.benchmarks;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.benchmarks.ListenerApplications.ListenerApplication;
import io.github.zmqboot.benchmarks.SendBenchmark.SendApplication;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.zmqboot.benchmarks.ListenerBenchmark.BATCH;

/**
 * Diagnostics: the raw JeroMQ loops of {@link SendBenchmark}, {@link ListenerBenchmark} and
 * {@link TypedListenerBenchmark}, unchanged (their own context, no starter code on their path), in a JVM where a
 * Spring Boot application with the starter started first, as it always has in a starter's benchmark. Run them next
 * to the plain raw loops and the beans (one regex, one run) to tell what the JVM costs an engine call once Spring ran
 * in it from what the starter's own code costs.
 * <p>
 * What they showed (see the README's Performance section): JeroMQ's PUB send walks its subscription trie and iterates
 * a {@code java.util.HashSet} of pipes on every message; Spring's startup iterates {@code LinkedHashSet}s by the
 * thousand, so the JIT compiler's type profile of {@code HashSet.iterator()} holds two map types, and the iterator it
 * allocates on every send is no longer optimised away: the same raw PUB loop sends about a quarter fewer messages per
 * second (a listener benchmark's SUB case loses through its sender, a PUB in the same JVM). The other paths iterate
 * no hash set and lose 0–15 % in such a JVM, through call sites not singled out here. {@code pubRawAfterLinkedHashSets}
 * shows the same loss with no Spring in the JVM at all, only a loop over a {@code LinkedHashSet} and a {@code HashSet}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpringJvmBenchmark {

    /**
     * Starts {@code application} (no web server, quiet, no listener running) with {@code sockets} before a raw loop's
     * sockets are made.
     */
    static ConfigurableApplicationContext startApplication(Class<?> application, String... sockets) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
            .logStartupInfo(false)
            .properties(sockets)
            .properties("bench.listener=none", "logging.level.root=WARN", "spring.main.banner-mode=off")
            .run();
    }

    /** {@link SendBenchmark}'s application, without sockets. */
    static ConfigurableApplicationContext startSendApplication() {
        return startApplication(SendApplication.class);
    }

    public static class RawPubAfterSpring extends SendBenchmark.RawPub {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startSendApplication();
        }
    }

    /**
     * The raw PUB loop in a JVM where no Spring ran, only iterations over a {@code LinkedHashSet} and a {@code HashSet}
     * first (as many as make the JIT compile {@code HashSet.iterator()} with both map types in its profile): isolates
     * the type-profile effect above from everything else a Spring startup does.
     */
    public static class RawPubAfterLinkedHashSets extends SendBenchmark.RawPub {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            Set<Integer> linked = new LinkedHashSet<>(List.of(1, 2, 3));
            Set<Integer> plain = new HashSet<>(List.of(1, 2, 3));
            long sum = 0;
            for (int i = 0; i < 2_000_000; i++) {
                for (int value : (i & 1) == 0 ? linked : plain) {
                    sum += value;
                }
            }
            if (sum == 42) {
                throw new IllegalStateException("unreachable: keeps the loop");
            }
            return null;
        }
    }

    public static class RawPushAfterSpring extends SendBenchmark.RawPush {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startSendApplication();
        }
    }

    public static class RawDealerAfterSpring extends SendBenchmark.RawDealer {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startSendApplication();
        }
    }

    public static class RawPeerAfterSpring extends SendBenchmark.RawPeer {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startSendApplication();
        }
    }

    /** {@link ListenerBenchmark}'s raw PEER receive loop after its application started (no listener running). */
    public static class RawPeerReceiverAfterSpring extends ListenerStates.RawPeer {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startApplication(ListenerApplication.class, ListenerApplications.SOCKETS);
        }
    }

    /** {@link TypedListenerBenchmark}'s application, with its sockets and no listener running. */
    static ConfigurableApplicationContext startTypedListenerApplication() {
        return startApplication(TypedListenerBenchmark.TypedListenerApplication.class, TypedListenerBenchmark.SOCKETS);
    }

    public static class RawPullReceiverAfterSpring extends TypedListenerBenchmark.RawPull {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startTypedListenerApplication();
        }
    }

    public static class RawSubReceiverAfterSpring extends TypedListenerBenchmark.RawSub {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startTypedListenerApplication();
        }
    }

    public static class RawDealerReceiverAfterSpring extends TypedListenerBenchmark.RawDealer {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startTypedListenerApplication();
        }
    }

    public static class RawRouterReceiverAfterSpring extends TypedListenerBenchmark.RawRouter {

        @Override
        ConfigurableApplicationContext startNeighbour() {
            return startTypedListenerApplication();
        }
    }

    @Benchmark
    public void pubRawAfterSpring(RawPubAfterSpring sender) {
        sender.send();
    }

    @Benchmark
    public void pubRawAfterLinkedHashSets(RawPubAfterLinkedHashSets sender) {
        sender.send();
    }

    @Benchmark
    public void pushRawAfterSpring(RawPushAfterSpring sender) {
        sender.send();
    }

    @Benchmark
    public void dealerRawAfterSpring(RawDealerAfterSpring sender) {
        sender.send();
    }

    @Benchmark
    public void peerRawAfterSpring(RawPeerAfterSpring sender) {
        sender.send();
    }

    /** Compare with {@code ListenerBenchmark.peerRaw} (same warm-up and measurement as there). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 5, time = 3)
    public void peerReceiveRawAfterSpring(RawPeerReceiverAfterSpring receiver) {
        receiver.run();
    }

    /** Compare with {@code TypedListenerBenchmark.pullRaw} (same warm-up and measurement as there). */
    @Benchmark
    @OperationsPerInvocation(TypedListenerBenchmark.BATCH)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 5, time = 3)
    public void pullReceiveRawAfterSpring(RawPullReceiverAfterSpring receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(TypedListenerBenchmark.BATCH)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 5, time = 3)
    public void subReceiveRawAfterSpring(RawSubReceiverAfterSpring receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(TypedListenerBenchmark.BATCH)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 5, time = 3)
    public void dealerReceiveRawAfterSpring(RawDealerReceiverAfterSpring receiver) {
        receiver.run();
    }

    @Benchmark
    @OperationsPerInvocation(TypedListenerBenchmark.BATCH)
    @Warmup(iterations = 8, time = 2)
    @Measurement(iterations = 5, time = 3)
    public void routerReceiveRawAfterSpring(RawRouterReceiverAfterSpring receiver) {
        receiver.run();
    }
}
