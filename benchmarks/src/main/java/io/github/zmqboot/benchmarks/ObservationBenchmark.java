package io.github.zmqboot.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.zmqboot.observation.MicrometerZmqObserver;
import io.github.zmqboot.observation.ZmqObserver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one observed listener call or send costs the calling thread (nanoseconds, one thread, no sockets): the
 * starter's observer around an empty call, for each registry Spring Boot may give it ({@link ObservationRegistries}).
 * The PEER listener benchmark's reading thread is its bottleneck, so this cost adds to every message: at 3.4 M msg/s
 * (about 300 ns a message), staying within 10 % of the unobserved rate leaves some 30 ns.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObservationBenchmark {

    @State(Scope.Thread)
    public static class Observer {

        @Param({ "METER", "METER_WITHOUT_LONG_TASK_TIMER", "TRACING", "METER_AND_TRACING", "NOOP_HANDLER" })
        ObservationRegistries registry;

        ZmqObserver observer;

        @Setup
        public void create() {
            this.observer = new MicrometerZmqObserver(this.registry.create());
        }
    }

    @Benchmark
    public void listenerCall(Observer observer) {
        observer.observer.listenerCall("peerBytes", "bytesInbox").succeeded();
    }

    @Benchmark
    public void send(Observer observer) {
        observer.observer.send("bytesInbox").succeeded();
    }
}
