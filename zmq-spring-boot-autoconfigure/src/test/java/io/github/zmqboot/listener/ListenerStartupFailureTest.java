package io.github.zmqboot.listener;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static io.github.zmqboot.listener.ListenerTestSupport.causeChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Every mis-use of {@code @ZmqListener} fails the startup of a real {@code SpringApplication}: no socket named, both
 * {@code peer} and {@code socket}, an unknown peer, a peer named as a {@code socket}, unsupported parameters, a bad
 * {@code concurrency} or {@code autoStartup}, an unknown error handler. Each time the output holds an "APPLICATION
 * FAILED TO START" report naming the method (class and method name) and the offending value, the cause chain holds a
 * {@link ListenerConfigurationException}, and the failed start leaves no engine or reader thread behind.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ListenerStartupFailureTest {

    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(15);

    static Stream<Arguments> misuses() {
        return Stream.of(
                Arguments.of(NoSocket.class, "onNothing", null),
                Arguments.of(PeerAndSocket.class, "onBoth", "alice"),
                Arguments.of(UnknownPeer.class, "onCarol", "carol"),
                Arguments.of(SocketNamesAPeer.class, "onSocket", "alice"),
                Arguments.of(TwoPayloads.class, "onTwoPayloads", null),
                Arguments.of(RoutingIdOnAString.class, "onRoutingIdString", "RoutingId"),
                Arguments.of(UnknownHeader.class, "onUnknownHeader", "nope"),
                Arguments.of(ConcurrencyZero.class, "onZeroThreads", "'0'"),
                Arguments.of(ConcurrencyNotANumber.class, "onAbcThreads", "abc"),
                Arguments.of(ConcurrencyFromPlaceholder.class, "onNegativeThreads", "-2"),
                Arguments.of(AutoStartupNotABoolean.class, "onMaybe", "maybe"),
                Arguments.of(UnknownErrorHandler.class, "onMissingErrorHandler", "missingErrorHandler"),
                Arguments.of(ErrorHandlerOfAnotherType.class, "onWrongErrorHandler", "notAnErrorHandler"),
                Arguments.of(ListenerOnAPub.class, "onTick", "PUB"),
                Arguments.of(UnreadablePayload.class, "onStream", "java.io.InputStream"),
                Arguments.of(ListenerOnAStream.class, "onRaw", "STREAM"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misuses")
    void misuseFailsStartupNamingTheMethod(Class<?> handler, String method, String offendingValue,
            CapturedOutput output) {
        Set<Thread> threadsBefore = zmqThreads();
        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class, handler)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .registerShutdownHook(false)
                .properties("zmq.peers.alice.bind[0]=inproc://listener-startup-failure", "zmq.peers.alice.linger=0",
                        "zmq.sockets.ticks.type=PUB", "zmq.sockets.ticks.linger=0", "zmq.sockets.raw.type=STREAM",
                        "zmq.sockets.raw.linger=0",
                        "app.concurrency=-2")
                .run()) {
                // reaching this line is the failure reported below
            }
        });

        assertThat(thrown).as("startup with %s must fail", handler.getSimpleName()).isNotNull();
        assertThat(causeChain(thrown)).as("cause chain of %s", thrown)
            .anyMatch(ListenerConfigurationException.class::isInstance);
        String methodName = handler.getName() + "." + method;
        ListenerConfigurationException cause = causeChain(thrown).stream()
            .filter(ListenerConfigurationException.class::isInstance)
            .map(ListenerConfigurationException.class::cast)
            .findFirst()
            .orElseThrow();
        assertThat(cause.method()).startsWith(methodName + "(");
        assertThat(cause.getMessage()).contains(methodName);

        String all = output.getAll();
        int reportStart = all.indexOf("APPLICATION FAILED TO START");
        assertThat(reportStart).as("a failure analysis report in the output:%n%s", all).isNotNegative();
        assertThat(all).as("the failure is analysed, not only logged").doesNotContain("Application run failed");
        String report = all.substring(reportStart);
        assertThat(report).contains("Description:").contains("Action:").contains(methodName);
        if (offendingValue != null) {
            assertThat(report.substring(report.indexOf("Description:"), report.indexOf("Action:")))
                .contains(offendingValue);
        }
        await().atMost(RELEASE_TIMEOUT).untilAsserted(() -> assertThat(threadsBefore).containsAll(zmqThreads()));
    }

    /**
     * A required {@code @Header} that a PEER socket never carries ({@code TOPIC} is SUB's, {@code IDENTITY} ROUTER's)
     * cannot be supplied for any message: an unsupported parameter, like {@code @RoutingId} on a ROUTER.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("headersAPeerNeverSets")
    void requiredHeaderThePeerNeverSetsFailsStartupNamingTheMethod(Class<?> handler, String method, String header,
            CapturedOutput output) {
        misuseFailsStartupNamingTheMethod(handler, method, header, output);
    }

    static Stream<Arguments> headersAPeerNeverSets() {
        return Stream.of(Arguments.of(TopicOnAPeer.class, "onTopic", ZmqHeaders.TOPIC),
                Arguments.of(IdentityOnAPeer.class, "onIdentity", ZmqHeaders.IDENTITY));
    }

    /** Payload types the converter may read pass startup: a record, a map, a number, a list, any object. */
    @org.junit.jupiter.api.Test
    void payloadTypesTheConverterMayReadPassStartup() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApp.class, ReadablePayloads.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false)
            .properties("zmq.peers.alice.bind[0]=inproc://listener-readable-a", "zmq.peers.bob.bind[0]=inproc://listener-readable-b",
                    "zmq.peers.carol.bind[0]=inproc://listener-readable-c", "zmq.peers.dave.bind[0]=inproc://listener-readable-d",
                    "zmq.peers.erin.bind[0]=inproc://listener-readable-e", "zmq.defaults.linger=0")
            .run()) {
            assertThat(context.getBean(ZmqListenerEndpointRegistry.class).getListenerContainers()).hasSize(5);
        }
    }

    record Order(String item, int quantity) {
    }

    static class ReadablePayloads {

        @ZmqListener(peer = "alice")
        void onOrder(Order order) {
        }

        @ZmqListener(peer = "bob")
        void onMap(java.util.Map<String, Object> map) {
        }

        @ZmqListener(peer = "carol")
        void onNumber(Integer number) {
        }

        @ZmqListener(peer = "dave")
        void onList(java.util.List<Order> orders) {
        }

        @ZmqListener(peer = "erin")
        void onAnything(Object anything) {
        }
    }

    /** The engine's threads (reaper, I/O threads) and the starter's reader threads that are alive now. */
    private static Set<Thread> zmqThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(Thread::isAlive)
            .filter((thread) -> thread.getName().startsWith("reaper-") || thread.getName().startsWith("iothread-")
                    || thread.getName().startsWith("zmq-"))
            .collect(Collectors.toSet());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class TestApp {

        @Bean
        String notAnErrorHandler() {
            return "a bean that is not a ZmqListenerErrorHandler";
        }
    }

    static class UnreadablePayload {

        @ZmqListener(peer = "alice")
        void onStream(java.io.InputStream stream) {
        }
    }

    static class ListenerOnAPub {

        @ZmqListener(socket = "ticks")
        void onTick(String text) {
        }
    }

    static class ListenerOnAStream {

        @ZmqListener(socket = "raw")
        void onRaw(byte[] data) {
        }
    }

    static class NoSocket {

        @ZmqListener(id = "nowhere")
        void onNothing(String text) {
        }
    }

    static class PeerAndSocket {

        @ZmqListener(peer = "alice", socket = "alice")
        void onBoth(String text) {
        }
    }

    static class UnknownPeer {

        @ZmqListener(peer = "carol")
        void onCarol(String text) {
        }
    }

    static class SocketNamesAPeer {

        @ZmqListener(socket = "alice")
        void onSocket(String text) {
        }
    }

    static class TwoPayloads {

        @ZmqListener(peer = "alice")
        void onTwoPayloads(String text, byte[] bytes) {
        }
    }

    static class RoutingIdOnAString {

        @ZmqListener(peer = "alice")
        void onRoutingIdString(@RoutingId String routingId, String text) {
        }
    }

    static class UnknownHeader {

        @ZmqListener(peer = "alice")
        void onUnknownHeader(@Header("nope") String nope, String text) {
        }
    }

    static class TopicOnAPeer {

        @ZmqListener(peer = "alice")
        void onTopic(@Header(ZmqHeaders.TOPIC) String topic, String text) {
        }
    }

    static class IdentityOnAPeer {

        @ZmqListener(peer = "alice")
        void onIdentity(@Header(ZmqHeaders.IDENTITY) byte[] identity, String text) {
        }
    }

    static class ConcurrencyZero {

        @ZmqListener(peer = "alice", concurrency = "0")
        void onZeroThreads(String text) {
        }
    }

    static class ConcurrencyNotANumber {

        @ZmqListener(peer = "alice", concurrency = "abc")
        void onAbcThreads(String text) {
        }
    }

    static class ConcurrencyFromPlaceholder {

        @ZmqListener(peer = "alice", concurrency = "${app.concurrency}")
        void onNegativeThreads(String text) {
        }
    }

    static class AutoStartupNotABoolean {

        @ZmqListener(peer = "alice", autoStartup = "maybe")
        void onMaybe(String text) {
        }
    }

    static class UnknownErrorHandler {

        @ZmqListener(peer = "alice", errorHandler = "missingErrorHandler")
        void onMissingErrorHandler(String text) {
        }
    }

    static class ErrorHandlerOfAnotherType {

        @ZmqListener(peer = "alice", errorHandler = "notAnErrorHandler")
        void onWrongErrorHandler(String text) {
        }
    }
}
