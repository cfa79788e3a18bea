package io.github.zmqboot.benchmarks;

import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqMetricsAutoConfiguration;
import io.github.zmqboot.autoconfigure.ZmqObservationAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The Spring applications of {@link ListenerBenchmark}: the starter with one listener per kind (plain, with metrics
 * bound, with observation on) and the listeners themselves.
 */
final class ListenerApplications {

    private ListenerApplications() {
    }

    /** The application's sockets: a PEER for each of the two PEER listeners, and a PULL. */
    static final String[] SOCKETS = { "zmq.peers.bytesInbox.bind[0]=tcp://127.0.0.1:0",
            "zmq.peers.stringInbox.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.pull.type=PULL",
            "zmq.sockets.pull.bind[0]=tcp://127.0.0.1:0" };

    /** The application under test: one listener per kind, only the one named by {@code bench.listener} starts. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ZmqAutoConfiguration.class)
    public static class ListenerApplication {

        @Bean
        Handlers handlers() {
            return new Handlers();
        }
    }

    /** The same application with the starter's Micrometer meters bound to a registry (issue 5: "metrics on"). */
    @Configuration(proxyBeanMethods = false)
    @Import(ListenerApplication.class)
    @ImportAutoConfiguration(ZmqMetricsAutoConfiguration.class)
    public static class MeteredListenerApplication {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /**
     * The same application with {@code zmq.observation.enabled=true} and the observation registry named by
     * {@code bench.observation-registry} ({@link ObservationRegistries}: by default a handler that times each
     * observation, as Spring Boot's actuator sets one up).
     */
    @Configuration(proxyBeanMethods = false)
    @Import(ListenerApplication.class)
    @ImportAutoConfiguration(ZmqObservationAutoConfiguration.class)
    public static class ObservedListenerApplication {

        @Bean
        ObservationRegistry observationRegistry(@Value("${bench.observation-registry}") ObservationRegistries registry) {
            return registry.create();
        }
    }

    /** The listeners; each counts into the current receiver's counter. */
    public static class Handlers {

        /** The counter of the receiver whose trial runs; set before its application starts. */
        static volatile ReceiveCounter current;

        @ZmqListener(id = "peerBytes", peer = "bytesInbox", autoStartup = "#{'${bench.listener}' == 'peerBytes'}")
        public void peerBytes(byte[] payload) {
            current.increment(payload);
        }

        @ZmqListener(id = "peerString", peer = "stringInbox", autoStartup = "#{'${bench.listener}' == 'peerString'}")
        public void peerString(String payload) {
            current.increment();
        }

        @ZmqListener(id = "pullBytes", socket = "pull", autoStartup = "#{'${bench.listener}' == 'pullBytes'}")
        public void pullBytes(byte[] payload) {
            current.increment(payload);
        }
    }
}
