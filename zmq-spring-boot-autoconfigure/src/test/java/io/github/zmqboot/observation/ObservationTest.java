package io.github.zmqboot.observation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqObservationAutoConfiguration;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.listener.ZmqListenerEndpointRegistry;
import io.github.zmqboot.listener.ZmqListenerErrorHandler;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Listener calls and sends as Micrometer observations ({@code zmq.listener}, {@code zmq.send}) with
 * {@code zmq.observation.enabled=true} and an {@code ObservationRegistry}, over real tcp; none by default.
 */
class ObservationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class, ZmqObservationAutoConfiguration.class))
        .withUserConfiguration(Listeners.class)
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.bob.linger=0",
                "zmq.sockets.pusher.type=PUSH", "zmq.sockets.pusher.linger=0", "zmq.sockets.puller.type=PULL",
                "zmq.sockets.puller.bind[0]=tcp://127.0.0.1:0");

    @Test
    void listenerCallsAndSendsAreObservedWithSocketIdAndOutcome() {
        this.runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
            .withPropertyValues("zmq.observation.enabled=true")
            .run(context -> {
                TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
                exchange(context);

                TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("zmq.listener", 3)
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.listener")
                        .hasContextualNameEqualTo("alice receive")
                        .hasLowCardinalityKeyValue("socket", "alice")
                        .hasLowCardinalityKeyValue("id", "echo")
                        .hasLowCardinalityKeyValue("outcome", "success")
                        .doesNotHaveError())
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.listener")
                        .hasLowCardinalityKeyValue("id", "echo")
                        .hasLowCardinalityKeyValue("outcome", "failure")
                        .assertThatError()
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("boom"))
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.listener")
                        .hasLowCardinalityKeyValue("socket", "puller")
                        .hasLowCardinalityKeyValue("id", "sink")
                        .hasLowCardinalityKeyValue("outcome", "success"));
                TestObservationRegistryAssert.assertThat(registry)
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.send")
                        .hasLowCardinalityKeyValue("socket", "bob")
                        .hasLowCardinalityKeyValue("outcome", "success"))
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.send")
                        .hasLowCardinalityKeyValue("socket", "bob")
                        .hasLowCardinalityKeyValue("outcome", "failure")
                        .assertThatError()
                        .isInstanceOf(ZmqException.class))
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.send")
                        .hasLowCardinalityKeyValue("socket", "pusher")
                        .hasLowCardinalityKeyValue("outcome", "success"));
            });
    }

    @Test
    void aConventionBeanNamesTheObservations() {
        this.runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
            .withBean(ZmqListenerObservationConvention.class, TeamConvention::new)
            .withPropertyValues("zmq.observation.enabled=true")
            .run(context -> {
                exchange(context);
                TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.listener")
                        .hasLowCardinalityKeyValue("id", "echo")
                        .hasLowCardinalityKeyValue("outcome", "success")
                        .hasLowCardinalityKeyValue("team", "blue"))
                    .hasAnObservation(observation -> observation.hasNameEqualTo("zmq.send")
                        .hasLowCardinalityKeyValue("socket", "bob")
                        .doesNotHaveLowCardinalityKeyValueWithKey("team"));
            });
    }

    @Test
    void withSpringBootsMeterHandlerEachObservationIsATimerWithItsKeysAsTags() {
        MeterRegistry meters = new SimpleMeterRegistry();
        this.runner.withBean(ObservationRegistry.class, () -> {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
            return registry;
        }).withPropertyValues("zmq.observation.enabled=true").run(context -> {
            exchange(context);
            assertThat(meters.get("zmq.listener")
                .tags(Tags.of("socket", "alice", "id", "echo", "outcome", "success", "error", "none"))
                .timer()
                .count()).isEqualTo(1);
            assertThat(meters.get("zmq.listener")
                .tags(Tags.of("socket", "alice", "id", "echo", "outcome", "failure", "error",
                        "IllegalArgumentException"))
                .timer()
                .count()).isEqualTo(1);
            assertThat(meters.get("zmq.send").tags(Tags.of("socket", "bob", "outcome", "success")).timer().count())
                .isEqualTo(2);
            // the long-task timer is made when the call starts: socket and listener id only
            assertThat(meters.get("zmq.listener.active").tags(Tags.of("socket", "alice", "id", "echo"))
                .longTaskTimer()
                .activeTasks()).isZero();
        });
    }

    @Test
    void nothingIsObservedByDefault() {
        this.runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create).run(context -> {
            assertThat(context).doesNotHaveBean(ZmqObserver.class);
            exchange(context);
            TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                .doesNotHaveAnyObservation();
        });
    }

    @Test
    void enabledWithoutAnObservationRegistryObservesNothing() {
        this.runner.withPropertyValues("zmq.observation.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ZmqObserver.class);
            exchange(context);
        });
    }

    /**
     * bob writes "hello" and "boom" to alice (answered, failed), one message to a routing id nobody has (fails),
     * and the pusher one message to the puller; returns when all of it was handled.
     */
    private static void exchange(AssertableApplicationContext context) {
        ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
        ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
        int aliceId = bob.connect(alice.boundEndpoints().get(0));
        bob.send(aliceId, "hello");
        assertThat(bob.receive(TIMEOUT).payload()).asString(StandardCharsets.UTF_8).isEqualTo("echo hello");
        bob.send(aliceId, "boom");
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> bob.send(aliceId + 1, "nobody"));
        ZmqSocket pusher = context.getBean("pusher", ZmqSocket.class);
        pusher.connect(context.getBean("puller", ZmqSocket.class).boundEndpoints().get(0));
        pusher.send("to the sink");
        ZmqListenerEndpointRegistry listeners = context.getBean(ZmqListenerEndpointRegistry.class);
        await().atMost(TIMEOUT).until(() -> listeners.getListenerContainer("echo").failed() == 1
                && listeners.getListenerContainer("sink").handled() == 1);
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        @Bean
        Handlers handlers() {
            return new Handlers();
        }

        /** Takes the expected failure without logging it (the observation still sees the exception). */
        @Bean
        ZmqListenerErrorHandler quiet() {
            return (message, exception) -> null;
        }
    }

    /** The default names and key values, and a team for every listener call. */
    static class TeamConvention extends DefaultZmqListenerObservationConvention {

        @Override
        public KeyValues getLowCardinalityKeyValues(ZmqListenerObservationContext context) {
            return super.getLowCardinalityKeyValues(context).and("team", "blue");
        }
    }

    static class Handlers {

        @ZmqListener(id = "echo", peer = "alice", errorHandler = "quiet")
        String echo(String message) {
            if (message.equals("boom")) {
                throw new IllegalArgumentException("boom");
            }
            return "echo " + message;
        }

        @ZmqListener(id = "sink", socket = "puller")
        void sink(String message) {
        }
    }
}
