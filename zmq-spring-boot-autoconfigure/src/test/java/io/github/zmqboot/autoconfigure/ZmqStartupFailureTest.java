package io.github.zmqboot.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import io.github.zmqboot.testing.ReservedPort;
import io.github.zmqboot.testing.ReservedPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Proves that every bad {@code zmq.*} configuration fails the startup of a real {@code SpringApplication} with
 * an "APPLICATION FAILED TO START" report (printed by a {@code FailureAnalyzer}, not a bare stack trace) whose
 * description names the exact property path and whose action says what to do; that the exception names the
 * same path ({@link InvalidZmqPropertyException#property()}); and that a failed start leaves nothing open: no
 * engine thread survives and every port it bound is free again.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ZmqStartupFailureTest {

    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(15);

    /** Ports a test names before the application binds them: bound to 0, read back and held (no other process). */
    @RegisterExtension
    final ReservedPorts reservedPorts = new ReservedPorts();

    @Test
    void malformedBindEndpointNamesItsIndex(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=tcp://127.0.0.1");

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.bind[0]");
        assertThat(cause.reason()).contains("EINVAL");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.bind[0]").contains("tcp://127.0.0.1");
        assertThat(report.action()).contains("endpoint");
        failure.assertNothingLeftOpen();
    }

    @Test
    void unsupportedTransportInConnectListNamesItsIndex(CapturedOutput output) {
        // ws is supported now: NORM is a transport libzmq has only when built with it, and this engine lacks
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.connect[0]=norm://127.0.0.1:5555");

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.connect[0]");
        assertThat(cause.reason()).contains("EPROTONOSUPPORT");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.connect[0]").contains("norm://127.0.0.1:5555");
        assertThat(report.action()).contains("tcp://").contains("ws://");
        failure.assertNothingLeftOpen();
    }

    @ParameterizedTest
    @CsvSource({ "ipc:///nonexistent-directory-of-zmq-tests/alice.sock, ENOENT, directory",
            "ipc://@abstract, ENOTSUP, ipc://*",
            "ipc:///tmp/a-path-longer-than-the-107-bytes-a-unix-socket-file-may-have-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, ENAMETOOLONG, shorter" })
    void badIpcPathNamesTheBindEntry(String endpoint, String error, String action, CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=" + endpoint);

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.bind[0]");
        assertThat(cause.reason()).contains(error);
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.bind[0]").contains(endpoint);
        assertThat(report.action()).contains(action);
        failure.assertNothingLeftOpen();
    }

    @Test
    void portInUseNamesTheBindEntryAndLeavesThePortToALaterStart(CapturedOutput output) throws IOException {
        // the port stays reserved after its holder lets go, so the second start below gets it and no one else
        ReservedPort reserved = this.reservedPorts.reserve();
        int port = reserved.port();
        Failure failure;
        try (ServerSocket blocker = new ServerSocket()) {
            blocker.setReuseAddress(true);
            blocker.bind(new InetSocketAddress(loopback(), port), 50);
            failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=tcp://127.0.0.1:" + port);
        }

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.bind[0]");
        assertThat(cause.reason()).contains("EADDRINUSE");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.bind[0]").contains("EADDRINUSE");
        assertThat(report.action()).contains("port");
        failure.assertNothingLeftOpen();

        // the failed start holds nothing: the same port (now released by its holder) and a fresh one both bind
        try (ConfigurableApplicationContext context = builder(TestApp.class,
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:" + port, "zmq.peers.bob.bind[0]=tcp://127.0.0.1:0").run()) {
            assertThat(context.getBean("alice", ZmqPeer.class).boundEndpoints())
                .containsExactly("tcp://127.0.0.1:" + port);
            assertThat(portOf(context.getBean("bob", ZmqPeer.class).boundEndpoints().get(0))).isPositive();
        }
    }

    @Test
    void portClashInsideTheApplicationNamesBothBindEntries(CapturedOutput output) throws IOException {
        int port = this.reservedPorts.reserve().port();

        Failure failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=tcp://127.0.0.1:" + port,
                "zmq.sockets.ticks.type=PUB", "zmq.sockets.ticks.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.ticks.bind[1]=tcp://127.0.0.1:" + port);

        InvalidZmqPropertyException cause = failure.zmqCause();
        Set<String> clash = Set.of("zmq.peers.alice.bind[0]", "zmq.sockets.ticks.bind[1]");
        assertThat(clash).contains(cause.property());
        String holder = clash.stream().filter(property -> !property.equals(cause.property())).findFirst().get();
        Report report = Report.of(output);
        assertThat(report.description()).contains(cause.property()).contains("EADDRINUSE").contains(holder);
        assertThat(report.action()).contains(holder).doesNotContain("stop the process");
        failure.assertNothingLeftOpen();
    }

    @Test
    void proxyBindOnAPortOfAPeerNamesThePeersBindEntry(CapturedOutput output) throws IOException {
        int port = this.reservedPorts.reserve().port();

        Failure failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=tcp://127.0.0.1:" + port,
                "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:" + port,
                "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0");

        assertThat(failure.zmqCause().property()).isEqualTo("zmq.proxies.broker.frontend.bind[0]");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.proxies.broker.frontend.bind[0]")
            .contains("held by zmq.peers.alice.bind[0]");
        assertThat(report.action()).contains("zmq.peers.alice.bind[0]");
        failure.assertNothingLeftOpen();
    }

    @Test
    void endpointBoundBeforeALaterBindFailsIsReleased(CapturedOutput output) throws IOException {
        int port = this.reservedPorts.reserve().port();

        Failure failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=tcp://127.0.0.1:" + port,
                "zmq.peers.alice.bind[1]=tcp://127.0.0.1");

        assertThat(failure.zmqCause().property()).isEqualTo("zmq.peers.alice.bind[1]");
        assertThat(Report.of(output).description()).contains("zmq.peers.alice.bind[1]");
        failure.assertNothingLeftOpen();
        await().atMost(RELEASE_TIMEOUT).until(() -> canBind(port));
    }

    @ParameterizedTest
    @CsvSource({ "zmq.peers.alice.send-hwm, lots", "zmq.peers.alice.immediate, maybe",
            "zmq.defaults.linger, forever" })
    void unconvertibleOptionValueIsReportedByBootsBindAnalyzer(String property, String value, CapturedOutput output) {
        Failure failure = startFails(TestApp.class, property + "=" + value);

        BindException bindException = failure.cause(BindException.class);
        assertThat(bindException.getProperty()).isNotNull();
        assertThat(bindException.getProperty().getName()).hasToString(property);
        Report report = Report.of(output);
        assertThat(report.description()).contains(property).contains(value);
        assertThat(report.action()).contains("configuration");
        failure.assertNothingLeftOpen();
    }

    @Test
    void negativeHighWaterMarkNamesThePeersOption(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.send-hwm=-5",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.send-hwm");
        assertThat(cause.value()).isEqualTo(-5);
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.send-hwm").contains("-5");
        assertThat(report.action()).contains("zmq.peers.alice.send-hwm");
        failure.assertNothingLeftOpen();
    }

    @ParameterizedTest
    @CsvSource({ "zmq.peers.alice.max-connections, zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
            "zmq.defaults.max-connections, zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
            "zmq.proxies.broker.frontend.max-connections, zmq.proxies.broker.type=pull-push" })
    void zeroMaxConnectionsNamesTheOption(String property, String other, CapturedOutput output) {
        Failure failure = startFails(TestApp.class, property + "=0", other);

        assertThat(failure.zmqCause().property()).isEqualTo(property);
        Report report = Report.of(output);
        assertThat(report.description()).contains(property).contains("at least 1");
        failure.assertNothingLeftOpen();
    }

    @Test
    void negativeDefaultReconnectIntervalNamesTheDefaultsOption(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.defaults.reconnect-interval=-1s",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");

        assertThat(failure.zmqCause().property()).isEqualTo("zmq.defaults.reconnect-interval");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.defaults.reconnect-interval");
        assertThat(report.action()).contains("zmq.defaults.reconnect-interval");
        failure.assertNothingLeftOpen();
    }

    @Test
    void misspelledOptionNameFailsNamingIt(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.send-hwmm=5");

        UnboundConfigurationPropertiesException unbound = failure.cause(UnboundConfigurationPropertiesException.class);
        assertThat(unbound.getUnboundProperties()).extracting(ConfigurationProperty::getName)
            .extracting(Object::toString)
            .containsExactly("zmq.peers.alice.send-hwmm");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.send-hwmm");
        assertThat(report.action()).contains("configuration");
        failure.assertNothingLeftOpen();
    }

    /**
     * Unknown keys from system properties (and environment variables) are exempt from the strict binding, as in
     * Boot; a peer named only by such keys has none the binding knows, and its bean fails naming it.
     */
    @Test
    void peerWhoseOnlyKeysAreUnknownSystemPropertiesNamesThePeer(CapturedOutput output) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                    new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                            Map.of("zmq.peers.alice.bnd[0]", "tcp://127.0.0.1:0")));
        Set<Thread> engineThreadsBefore = engineThreads();
        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext context = builder(TestApp.class).environment(environment).run()) {
                // reaching this line is the failure reported below
            }
        });
        Failure failure = new Failure(thrown, engineThreadsBefore);

        assertThat(failure.zmqCause().property()).isEqualTo("zmq.peers.alice");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice").contains("none of its keys");
        assertThat(report.action()).contains("zmq.peers.alice");
        failure.assertNothingLeftOpen();
    }

    @Test
    void immediateWithConnectListNamesImmediate(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.immediate=true",
                "zmq.peers.alice.connect[0]=tcp://127.0.0.1:5555");

        assertThat(failure.zmqCause().property()).isEqualTo("zmq.peers.alice.immediate");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.immediate");
        assertThat(report.action()).contains("immediate");
        failure.assertNothingLeftOpen();
    }

    @Test
    void immediateFromDefaultsWithConnectListNamesImmediate(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.defaults.immediate=true",
                "zmq.peers.alice.connect[0]=tcp://127.0.0.1:5555");

        // the endpoint is valid: the value at fault is immediate=true, which the peer inherits from zmq.defaults
        assertThat(failure.zmqCause().property()).isIn("zmq.defaults.immediate", "zmq.peers.alice.immediate");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.defaults.immediate");
        assertThat(report.action()).contains("immediate");
        failure.assertNothingLeftOpen();
    }

    @Test
    void peerNamedLikeAnApplicationBeanNamesBoth(CapturedOutput output) {
        Failure failure = startFails(UserAliceApp.class, "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice").contains("'alice'")
            .contains(UserAliceApp.class.getSimpleName());
        assertThat(report.action()).contains("zmq.peers.alice");
        failure.assertNothingLeftOpen();
    }

    @Test
    void routerMandatoryOnAPeerNamesTheOption(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.router-mandatory=true");

        assertThat(failure.zmqCause().property()).isEqualTo("zmq.peers.alice.router-mandatory");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.router-mandatory").contains("ROUTER");
        assertThat(report.action()).contains("zmq.peers.alice.router-mandatory");
        failure.assertNothingLeftOpen();
    }

    @Test
    void tcpBindWithoutIoThreadsNamesTheBindAndPointsToIoThreads(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.context.io-threads=0",
                "zmq.peers.alice.bind[0]=tcp://127.0.0.1:0");

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.bind[0]");
        assertThat(cause.reason()).contains("EMTHREAD");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.bind[0]");
        assertThat(report.action()).contains("zmq.context.io-threads");
        failure.assertNothingLeftOpen();
    }

    @Test
    void wssBindWithoutSslBundleNamesTheBindEntryAndTheSslBundleOption(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=wss://127.0.0.1:0/secure");

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.bind[0]");
        assertThat(cause.reason()).contains("EINVAL").contains("ssl-bundle");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.bind[0]").contains("wss://127.0.0.1:0/secure")
            .contains("ssl-bundle");
        failure.assertNothingLeftOpen();
    }

    @Test
    void wssBindWithAnUnknownSslBundleNamesTheSslBundleProperty(CapturedOutput output) {
        Failure failure = startFails(TestApp.class, "zmq.peers.alice.bind[0]=wss://127.0.0.1:0/secure",
                "zmq.peers.alice.ssl-bundle=nowhere");

        InvalidZmqPropertyException cause = failure.zmqCause();
        assertThat(cause.property()).isEqualTo("zmq.peers.alice.ssl-bundle");
        assertThat(cause.reason()).contains("'nowhere'");
        Report report = Report.of(output);
        assertThat(report.description()).contains("zmq.peers.alice.ssl-bundle").contains("nowhere");
        assertThat(report.action()).isNotBlank();
        failure.assertNothingLeftOpen();
    }

    private static Failure startFails(Class<?> application, String... properties) {
        Set<Thread> engineThreadsBefore = engineThreads();
        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext context = builder(application, properties).run()) {
                // reaching this line is the failure reported below
            }
        });
        assertThat(thrown).as("startup with %s must fail", String.join(", ", properties)).isNotNull();
        return new Failure(thrown, engineThreadsBefore);
    }

    private static SpringApplicationBuilder builder(Class<?> application, String... properties) {
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false)
            .properties(properties);
    }

    /** JeroMQ's own threads (its reaper and I/O threads) that are alive now. */
    private static Set<Thread> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .filter(thread -> thread.getName().startsWith("reaper-") || thread.getName().startsWith("iothread-"))
            .collect(Collectors.toSet());
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByName("127.0.0.1");
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port));
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static int portOf(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** A failed startup: what was thrown, and the engine threads that lived before it began. */
    private record Failure(Throwable thrown, Set<Thread> engineThreadsBefore) {

        InvalidZmqPropertyException zmqCause() {
            return cause(InvalidZmqPropertyException.class);
        }

        <T extends Throwable> T cause(Class<T> type) {
            for (Throwable candidate = this.thrown; candidate != null; candidate = candidate.getCause()) {
                if (type.isInstance(candidate)) {
                    return type.cast(candidate);
                }
            }
            throw new AssertionError("No " + type.getSimpleName() + " in the cause chain of " + this.thrown,
                    this.thrown);
        }

        /** The failed start terminated its ZeroMQ context: none of the engine threads it started is left. */
        void assertNothingLeftOpen() {
            await().atMost(RELEASE_TIMEOUT)
                .untilAsserted(() -> assertThat(this.engineThreadsBefore).containsAll(engineThreads()));
        }
    }

    /** The "APPLICATION FAILED TO START" report a failure analyzer printed, split into its two sections. */
    private record Report(String description, String action) {

        static Report of(CapturedOutput output) {
            String all = output.getAll();
            int start = all.indexOf("APPLICATION FAILED TO START");
            assertThat(start).as("a failure analysis report in the output:%n%s", all).isNotNegative();
            // when no analyzer recognises the failure, Boot logs this with the stack trace instead of a report
            assertThat(all).doesNotContain("Application run failed");
            String report = all.substring(start);
            int description = report.indexOf("Description:");
            int action = report.indexOf("Action:");
            assertThat(description).as("Description: in%n%s", report).isPositive();
            assertThat(action).as("Action: after Description: in%n%s", report).isGreaterThan(description);
            return new Report(report.substring(description, action), report.substring(action));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApp {

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class UserAliceApp {

        @Bean
        String alice() {
            return "an application bean called alice";
        }
    }
}
