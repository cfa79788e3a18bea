package io.github.zmqboot.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqMetricsAutoConfiguration;
import io.github.zmqboot.core.ZmqSocket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.Msg;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Round-trip time of one request and its reply: {@code convertSendAndReceive} with {@code byte[]} both ways on a REQ
 * and on a DEALER bean, against a raw JeroMQ REQ's send and blocking receive, each to the same kind of raw REP echo
 * server (its own context and thread) over tcp on 127.0.0.1; 64-byte requests. Sample-time mode: compare the
 * medians (p0.50). Micrometer meters are bound.
 * <p>
 * Target (issue 17): each bean's median round trip ≤ 1.3 × the raw REQ's.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestReplyBenchmark {

    static final byte[] REQUEST = new byte[64];

    static {
        Arrays.fill(REQUEST, (byte) 'x');
    }

    /** A raw REP echo server on a thread of its own. */
    static final class Echo {

        private final RawServer server = new RawServer(SocketType.REP, "echo", socket -> {
        }, Echo::answer);

        final String endpoint = this.server.endpoint;

        private static void answer(zmq.SocketBase socket) {
            Msg request = socket.recv(0);
            if (request != null) {
                socket.send(new Msg(request.data()), 0);
            }
        }

        void close() {
            this.server.close();
        }
    }

    @State(Scope.Thread)
    public static class RawRequester {

        Echo echo;

        ZMQ.Context context;

        ZMQ.Socket socket;

        @Setup(Level.Trial)
        public void setUp() {
            this.echo = new Echo();
            this.context = ZMQ.context(1);
            this.socket = this.context.socket(SocketType.REQ);
            this.socket.setLinger(0);
            this.socket.setHandshakeIvl(1000); // a fresh connect can stall in JeroMQ 0.6.0 until then
            this.socket.connect(this.echo.endpoint);
        }

        byte[] roundTrip() {
            this.socket.send(REQUEST, 0);
            return this.socket.recv(0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.socket.close();
            this.context.term();
            this.echo.close();
        }
    }

    /** The application with one requesting bean named {@code client} of {@link #type()}, connected to the echo. */
    @State(Scope.Thread)
    public abstract static class BeanRequester {

        Echo echo;

        ConfigurableApplicationContext application;

        ZmqSocket client;

        abstract SocketType type();

        @Setup(Level.Trial)
        public void setUp() {
            this.echo = new Echo();
            this.application = new SpringApplicationBuilder(RequestReplyApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties("zmq.sockets.client.type=" + type(), "zmq.sockets.client.connect[0]=" + this.echo.endpoint,
                        "logging.level.root=WARN")
                .run();
            this.client = this.application.getBean("client", ZmqSocket.class);
        }

        byte[] roundTrip() {
            return this.client.convertSendAndReceive(REQUEST, byte[].class, Duration.ofSeconds(10));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.application.close();
            this.echo.close();
        }
    }

    public static class ReqBean extends BeanRequester {

        @Override
        SocketType type() {
            return SocketType.REQ;
        }
    }

    public static class DealerBean extends BeanRequester {

        @Override
        SocketType type() {
            return SocketType.DEALER;
        }
    }

    @Benchmark
    public byte[] reqRaw(RawRequester requester) {
        return requester.roundTrip();
    }

    @Benchmark
    public byte[] reqBean(ReqBean requester) {
        return requester.roundTrip();
    }

    @Benchmark
    public byte[] dealerBean(DealerBean requester) {
        return requester.roundTrip();
    }

    /** The application under test, with the starter's Micrometer meters bound to a registry. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ ZmqAutoConfiguration.class, ZmqMetricsAutoConfiguration.class })
    public static class RequestReplyApplication {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
