package io.github.zmqboot.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.zmqboot.benchmarks.PipelineStates.ConfiguredPipeline;
import io.github.zmqboot.benchmarks.PipelineStates.DirectPipeline;
import io.github.zmqboot.benchmarks.PipelineStates.JeromqPipeline;
import io.github.zmqboot.benchmarks.PipelineStates.JeromqSteerablePipeline;
import io.github.zmqboot.benchmarks.RequestReplyStates.ConfiguredRequestReply;
import io.github.zmqboot.benchmarks.RequestReplyStates.DirectRequestReply;
import io.github.zmqboot.benchmarks.RequestReplyStates.JeromqRequestReply;
import io.github.zmqboot.benchmarks.RequestReplyStates.JeromqSteerableRequestReply;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Throughput of a proxy configured under {@code zmq.proxies} (a real Spring Boot application), of JeroMQ's own
 * {@code ZMQ.proxy} (plain, and steerable with a PAIR control socket), and of direct sockets with no proxy, in the
 * same run, with 64-byte messages over tcp on 127.0.0.1. Every context has one I/O thread.
 * <ul>
 * <li>pipeline: a PUSH client streams messages from a thread of its own, a PULL client receives them (an operation
 * receives {@value #BATCH}); through a pull-push proxy, through {@code ZMQ.proxy} (PULL/PUSH), or PUSH straight to
 * PULL. Scores are messages per second.</li>
 * <li>request-reply ({@code clientsXworkers}, {@code clientLoop}): clients and echoing REP workers; through a
 * router-dealer proxy, through {@code ZMQ.proxy} (ROUTER/DEALER), or each client connected straight to every worker.
 * Scores are round trips per second. {@code pipelined-128}: DEALER clients, each on a thread of its own with 128
 * requests outstanding, so that the proxy carries a load (the form in which {@code ZMQ.proxy} reaches about 1/7 of
 * direct, the figure issue 4 quotes); {@code thread-per-client}: lock-step REQ clients on threads of their own, one
 * request outstanding each; {@code one-poller}: lock-step REQ clients served by the benchmark thread with one
 * poller. In the two lock-step forms every variant is bound by thread wake-ups (a round trip through a proxy
 * wakes about ten threads in turn on two cores), not by what a proxy does per message.</li>
 * </ul>
 * Diagnostics ({@code diagnosticRequestReplyForwardingOn(IoThread|OwnThread)}): the same request-reply chain through
 * {@link ForwardingSketch}, a bare forwarder run on its sockets' I/O thread or on a thread of its own, to show what
 * the hand-over between a proxy's thread and its I/O thread costs.
 * Our proxies count {@code STATISTICS} all along (they always do). Run:
 * {@code java -jar benchmarks/target/benchmarks.jar "ProxyBenchmark.(pipeline|requestReply)(ConfiguredProxy|JeromqProxy|Direct)$"
 * -p clientsXworkers=1x1,8x4 -p clientLoop=pipelined-128,thread-per-client -f 2 -wi 4 -w 2s -i 5 -r 3s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ProxyBenchmark {

    /** Messages per pipeline operation. */
    static final int BATCH = 1000;

    /** Round trips per request-reply operation. */
    static final int ROUND_TRIPS = 64;

    static final int MESSAGE_SIZE = 64;

    // ---------------------------------------------------------------- pipeline

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineConfiguredProxy(ConfiguredPipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineJeromqProxy(JeromqPipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineJeromqSteerableProxy(JeromqSteerablePipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelineDirect(DirectPipeline pipeline) {
        return pipeline.roundOfBatch();
    }

    // ---------------------------------------------------------------- request-reply

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyConfiguredProxy(ConfiguredRequestReply requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyJeromqProxy(JeromqRequestReply requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyJeromqSteerableProxy(JeromqSteerableRequestReply requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int diagnosticRequestReplyForwardingOnIoThread(RequestReplyStates.ForwardingOnIoThread requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int diagnosticRequestReplyForwardingOnOwnThread(RequestReplyStates.ForwardingOnOwnThread requestReply) {
        return requestReply.roundTrips();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int requestReplyDirect(DirectRequestReply requestReply) {
        return requestReply.roundTrips();
    }
}
