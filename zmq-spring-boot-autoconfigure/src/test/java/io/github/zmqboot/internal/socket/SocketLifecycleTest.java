package io.github.zmqboot.internal.socket;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The end of a socket: {@code close()} gives {@code ENOTSOCK} to every later call and to blocked ones, the context's
 * end gives {@code ETERM}, within the linger plus one second even with a caller blocked in a long receive; the
 * socket has no thread of its own. And {@code connectPeer} is PEER-only ({@code ENOTSUP}).
 */
class SocketLifecycleTest {

    private final TestSockets sockets = new TestSockets();

    @AfterEach
    void close() {
        this.sockets.close();
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = { "PUSH", "ROUTER", "CLIENT", "DISH" })
    void connectPeerIsForPeersOnly(SocketType type) {
        ZmqSocket socket = this.sockets.create("s", type);
        assertError(() -> socket.connectPeer("tcp://127.0.0.1:5555"), ZmqError.ENOTSUP);
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = { "PAIR", "CLIENT" })
    void closeMakesEveryLaterCallEnotsock(SocketType type) {
        ZmqSocket socket = this.sockets.create("s", type);
        socket.bind("tcp://127.0.0.1:0");
        socket.close();
        socket.close(); // idempotent

        assertError(() -> socket.send("x"), ZmqError.ENOTSOCK);
        assertError(() -> socket.receive(Duration.ZERO), ZmqError.ENOTSOCK);
        assertError(() -> socket.bind("tcp://127.0.0.1:0"), ZmqError.ENOTSOCK);
        assertError(() -> socket.connect("tcp://127.0.0.1:5555"), ZmqError.ENOTSOCK);
        if (type == SocketType.PAIR) {
            assertThat(ownerThreadAlive("s")).isFalse();
        }
    }

    @Test
    void closeEndsABlockedReceiveWithEnotsock() throws Exception {
        ZmqSocket pull = this.sockets.bound("in", SocketType.PULL);
        CompletableFuture<ZmqError> receiver = receiveInBackground(pull, "receiver-closed");
        await().atMost(TestSockets.PATIENCE).until(() -> threadWaiting("receiver-closed"));

        long start = System.nanoTime();
        pull.close();

        assertThat(receiver.get(5, TimeUnit.SECONDS)).isEqualTo(ZmqError.ENOTSOCK);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void contextCloseMakesCallsEterm() {
        ZmqSocket push = this.sockets.bound("out", SocketType.PUSH);
        ZmqSocket server = this.sockets.bound("server", SocketType.SERVER);

        this.sockets.close();

        assertError(() -> push.send("x"), ZmqError.ETERM);
        assertError(() -> push.bind("tcp://127.0.0.1:0"), ZmqError.ETERM);
        assertError(() -> server.send("x"), ZmqError.ETERM);
        assertError(() -> server.receive(Duration.ZERO), ZmqError.ETERM);
        push.close(); // still harmless
        await().atMost(TestSockets.PATIENCE).until(() -> !ownerThreadAlive("out"));
    }

    @Test
    void applicationContextCloseEndsABlockedReceiveWithinLingerPlusOneSecond() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false)
            .properties("zmq.sockets.in.type=PULL", "zmq.sockets.in.bind[0]=tcp://127.0.0.1:0",
                    "zmq.sockets.in.linger=500ms")
            .run();
        ZmqSocket pull = context.getBean("in", ZmqSocket.class);
        CompletableFuture<ZmqError> receiver = receiveInBackground(pull, "receiver-terminated");
        await().atMost(TestSockets.PATIENCE).until(() -> threadWaiting("receiver-terminated"));

        long start = System.nanoTime();
        context.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofMillis(1500));
        assertThat(receiver.get(1, TimeUnit.SECONDS)).isEqualTo(ZmqError.ETERM);
        assertError(() -> pull.receive(Duration.ZERO), ZmqError.ETERM);
        assertThat(ownerThreadAlive("in")).isFalse();
    }

    @Test
    void anInterruptedCallerGetsEintrAndTheSocketGoesOn() throws Exception {
        ZmqSocket pull = this.sockets.bound("in", SocketType.PULL);
        CompletableFuture<ZmqError> receiver = receiveInBackground(pull, "receiver-interrupted");
        await().atMost(TestSockets.PATIENCE).until(() -> threadWaiting("receiver-interrupted"));

        findThread("receiver-interrupted").interrupt();

        assertThat(receiver.get(5, TimeUnit.SECONDS)).isEqualTo(ZmqError.EINTR);
        ZmqSocket push = this.sockets.create("out", SocketType.PUSH);
        push.connect(pull.boundEndpoints().get(0));
        push.send("after the interrupt");
        assertThat(pull.receive(TestSockets.PATIENCE).popString()).isEqualTo("after the interrupt");
    }

    /** Receives on a thread of this name for a minute; completes with the error it got. */
    private static CompletableFuture<ZmqError> receiveInBackground(ZmqSocket socket, String threadName) {
        CompletableFuture<ZmqError> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                socket.receive(Duration.ofMinutes(1));
                result.complete(null);
            }
            catch (ZmqException ex) {
                result.complete(ex.error());
            }
            catch (RuntimeException ex) {
                result.completeExceptionally(ex);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static boolean threadWaiting(String name) {
        return TestSockets.waitsInSocketCall(findThread(name));
    }

    private static Thread findThread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals(name) && thread.isAlive())
            .findFirst()
            .orElse(null);
    }

    private static boolean ownerThreadAlive(String socketName) {
        return TestSockets.socketThreadAlive(socketName);
    }

    private static void assertError(ThrowingCallable call, ZmqError error) {
        assertThatExceptionOfType(ZmqException.class).isThrownBy(call)
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(error));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }
}
