package io.github.zmqboot.internal.socket;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.zmqboot.autoconfigure.InvalidZmqPropertyException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@code zmq.sockets.<name>} through a real {@code SpringApplication}: one {@link ZmqSocket} bean per entry with its
 * options, subscriptions and endpoints applied; every mistake fails startup with Boot's "APPLICATION FAILED TO
 * START" report naming the exact property.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class SocketPropertiesTest {

    @Test
    void registersOneSocketBeanPerEntryWithItsTypeOptionsAndSubscriptions() {
        try (ConfigurableApplicationContext context = start("zmq.sockets.prices.type=PUB",
                "zmq.sockets.prices.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.ticks.type=sub",
                "zmq.sockets.ticks.subscribe[0]=acme.", "zmq.sockets.ticks.receive-hwm=7",
                "zmq.sockets.worker.type=DEALER", "zmq.sockets.worker.routing-id=w1")) {
            Map<String, ZmqSocket> sockets = context.getBeansOfType(ZmqSocket.class);
            assertThat(sockets.keySet()).containsExactlyInAnyOrder("prices", "ticks", "worker");
            ZmqSocket prices = sockets.get("prices");
            ZmqSocket ticks = sockets.get("ticks");
            assertThat(prices.type()).isEqualTo(SocketType.PUB);
            assertThat(ticks.type()).isEqualTo(SocketType.SUB);
            assertThat(((LockingZmqSocket) ticks).managedSocket().options().receiveHwm()).isEqualTo(7);
            assertThat(((LockingZmqSocket) sockets.get("worker")).managedSocket().options().routingId()).isEqualTo("w1");

            ticks.connect(prices.boundEndpoints().get(0));
            ZMsg received = null;
            long giveUp = System.nanoTime() + TestSockets.PATIENCE.toNanos();
            while (received == null && System.nanoTime() < giveUp) {
                prices.send("other.1");
                prices.send("acme.1");
                received = ticks.receive(Duration.ofMillis(100));
            }
            assertThat(received).as("the subscription from the properties works").isNotNull();
            assertThat(received.popString()).isEqualTo("acme.1");
        }
    }

    @Test
    void typePeerFailsNamingTheTypeAndPointingToPeers(CapturedOutput output) {
        InvalidZmqPropertyException cause = startFails(InvalidZmqPropertyException.class,
                "zmq.sockets.chat.type=PEER");
        assertThat(cause.property()).isEqualTo("zmq.sockets.chat.type");
        assertThat(report(output)).contains("zmq.sockets.chat.type").contains("zmq.peers");
    }

    @Test
    void missingTypeFailsNamingTheType(CapturedOutput output) {
        InvalidZmqPropertyException cause = startFails(InvalidZmqPropertyException.class,
                "zmq.sockets.ticks.connect[0]=tcp://127.0.0.1:5557");
        assertThat(cause.property()).isEqualTo("zmq.sockets.ticks.type");
        assertThat(report(output)).contains("zmq.sockets.ticks.type");
    }

    @Test
    void subscribeOnAPushFailsNamingSubscribe(CapturedOutput output) {
        InvalidZmqPropertyException cause = startFails(InvalidZmqPropertyException.class,
                "zmq.sockets.ticks.type=PUSH", "zmq.sockets.ticks.subscribe[0]=acme.");
        assertThat(cause.property()).isEqualTo("zmq.sockets.ticks.subscribe");
        assertThat(report(output)).contains("zmq.sockets.ticks.subscribe").contains("SUB");
    }

    @Test
    void joinOnASubFailsNamingJoin(CapturedOutput output) {
        InvalidZmqPropertyException cause = startFails(InvalidZmqPropertyException.class,
                "zmq.sockets.ticks.type=SUB", "zmq.sockets.ticks.join[0]=weather");
        assertThat(cause.property()).isEqualTo("zmq.sockets.ticks.join");
        assertThat(report(output)).contains("zmq.sockets.ticks.join").contains("DISH");
    }

    @Test
    void malformedConnectFailsNamingItsIndex(CapturedOutput output) {
        InvalidZmqPropertyException cause = startFails(InvalidZmqPropertyException.class,
                "zmq.sockets.ticks.type=SUB", "zmq.sockets.ticks.connect[0]=tcp://127.0.0.1:5557",
                "zmq.sockets.ticks.connect[1]=tcp://127.0.0.1");
        assertThat(cause.property()).isEqualTo("zmq.sockets.ticks.connect[1]");
        assertThat(cause.reason()).contains("EINVAL");
        assertThat(report(output)).contains("zmq.sockets.ticks.connect[1]");
    }

    @Test
    void routerMandatoryOnADealerFailsNamingTheOption(CapturedOutput output) {
        InvalidZmqPropertyException cause = startFails(InvalidZmqPropertyException.class,
                "zmq.sockets.worker.type=DEALER", "zmq.sockets.worker.router-mandatory=true");
        assertThat(cause.property()).isEqualTo("zmq.sockets.worker.router-mandatory");
        assertThat(report(output)).contains("zmq.sockets.worker.router-mandatory");
    }

    @Test
    void unknownTypeNameFailsBindingNamingTheProperty(CapturedOutput output) {
        BindException cause = startFails(BindException.class, "zmq.sockets.ticks.type=WIBBLE");
        assertThat(cause.getProperty().getName()).hasToString("zmq.sockets.ticks.type");
        assertThat(report(output)).contains("zmq.sockets.ticks.type").contains("WIBBLE");
    }

    @Test
    void aNameUsedByAPeerAndASocketFailsNamingBoth(CapturedOutput output) {
        InvalidZmqPropertyException cause = startFails(InvalidZmqPropertyException.class,
                "zmq.peers.broker.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.broker.type=ROUTER");
        assertThat(cause.reason()).contains("zmq.peers.broker").contains("zmq.sockets.broker");
        assertThat(report(output)).contains("zmq.peers.broker").contains("zmq.sockets.broker");
    }

    @Test
    void peersAndSocketsLiveSideBySide() {
        try (ConfigurableApplicationContext context = start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.sockets.out.type=PUSH")) {
            assertThat(context.getBeansOfType(ZmqPeer.class)).containsOnlyKeys("alice");
            assertThat(context.getBeansOfType(ZmqSocket.class)).containsOnlyKeys("out");
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false)
            .properties(properties)
            .properties("zmq.context.linger=0")
            .run();
    }

    private static <T extends Throwable> T startFails(Class<T> type, String... properties) {
        Set<Thread> engineThreadsBefore = engineThreads();
        Throwable thrown = catchThrowable(() -> {
            try (ConfigurableApplicationContext context = start(properties)) {
                // reaching this line is the failure reported below
            }
        });
        assertThat(thrown).as("startup with %s must fail", String.join(", ", properties)).isNotNull();
        // a failed start leaves no context or socket behind: every engine and reading thread it started has ended
        await().atMost(TestSockets.PATIENCE)
            .untilAsserted(() -> assertThat(engineThreadsBefore).containsAll(engineThreads()));
        for (Throwable candidate = thrown; candidate != null; candidate = candidate.getCause()) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in the cause chain of " + thrown, thrown);
    }

    private static Set<Thread> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .filter(thread -> thread.getName().startsWith("zmq-") || thread.getName().startsWith("iothread-")
                    || thread.getName().startsWith("reaper-"))
            .collect(Collectors.toSet());
    }

    /** The failure analyzer's report (not a bare stack trace). */
    private static String report(CapturedOutput output) {
        String all = output.getAll();
        int start = all.indexOf("APPLICATION FAILED TO START");
        assertThat(start).as("a failure analysis report in the output:%n%s", all).isNotNegative();
        return all.substring(start);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }
}
