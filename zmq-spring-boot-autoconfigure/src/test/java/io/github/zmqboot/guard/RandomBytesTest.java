package io.github.zmqboot.guard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.guard.GuardTestApplication.Running;
import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.internal.engine.ManagedSocket;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.zeromq.SocketType;

import static io.github.zmqboot.guard.TestSockets.text;
import static io.github.zmqboot.guard.TestSockets.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 200 connections of random bytes (fixed seed, each at most 4 KiB, written over a plain {@link Socket} that is
 * closed right after) at every bound endpoint of a test application: a PEER bean and a PULL and a ROUTER from the
 * socket factory. Random bytes are mostly taken for ZMTP/1.0 and may even reach the application as messages, which
 * it must tolerate like any peer's; some trip the decoder's size checks. Afterwards every socket still serves a
 * legitimate round trip, no I/O thread spins, and heap and direct memory after GC grew by less than 64 MiB together
 * (JeroMQ puts a frame above 1 MiB in direct memory, which the heap figure alone would miss).
 */
@ExtendWith(QuietOutputCaptureExtension.class)
@Timeout(180)
class RandomBytesTest {

    private static final long SEED = 6250L;

    private static final int CONNECTIONS = 200;

    private static final int MAX_BYTES = 4096;

    private static final long MEMORY_GROWTH_LIMIT = 64L * 1024 * 1024;

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Duration RECEIVE = Duration.ofSeconds(10);

    @RegisterExtension
    final GuardApplications applications = new GuardApplications();

    private Running app;


    @Test
    void randomBytesAtEveryEndpointLeaveEverySocketServingAndMemoryBounded() throws IOException {
        this.app = this.applications.start("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.bob.linger=0");
        ZmqSocketFactory factory = this.app.bean(ZmqSocketFactory.class);
        Map<String, AtomicLong> disconnects = new ConcurrentHashMap<>();
        factory.socketMonitor().addListener(event -> {
            if (event.kind() == SocketEvent.Kind.DISCONNECTED) {
                disconnects.computeIfAbsent(event.socket(), name -> new AtomicLong()).incrementAndGet();
            }
        });
        Services services = new Services(this.app, factory);
        services.roundTrips("warm-up");
        IoThreads ioThreads = this.app.ioThreads();
        MemoryUse before = MemoryUse.afterGc();

        Random random = new Random(SEED);
        for (Map.Entry<String, Integer> target : services.ports().entrySet()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                sendRandomBytes(target.getValue(), random);
            }
        }
        await("the engine saw every random connection end").atMost(WAIT).pollInterval(Duration.ofMillis(100))
            .pollInSameThread() // the condition receives on PULL and ROUTER, which belong to this thread
            .until(() -> {
                services.drain(); // random bytes taken for ZMTP/1.0 may arrive as messages; a full queue stalls input
                return services.ports().keySet().stream()
                    .allMatch(name -> disconnects.getOrDefault(name, new AtomicLong()).get() >= CONNECTIONS);
            });

        services.roundTrips("after");
        ioThreads.assertNotSpinning();
        MemoryUse after = MemoryUse.afterGc();
        System.out.println("[RandomBytesTest] after GC: " + before + " before, " + after + " after " + 3 * CONNECTIONS
                + " random connections; disconnects " + disconnects);
        assertThat(after.growthSince(before)).as("heap and direct memory growth after GC")
            .isLessThan(MEMORY_GROWTH_LIMIT);
        this.app.closeWithinLingerPlusOneSecond();
    }

    private static void sendRandomBytes(int port, Random random) throws IOException {
        byte[] bytes = new byte[1 + random.nextInt(MAX_BYTES)];
        random.nextBytes(bytes);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    /** The bound sockets under attack and a legitimate client of each. */
    private static final class Services {

        private final ZmqPeer alice;

        private final ZmqPeer bob;

        private final int aliceId;

        private final ManagedSocket pull;

        private final ManagedSocket push;

        private final ManagedSocket router;

        private final ManagedSocket dealer;

        Services(Running app, ZmqSocketFactory factory) {
            this.alice = app.bean("alice", ZmqPeer.class);
            this.bob = app.bean("bob", ZmqPeer.class);
            this.aliceId = this.bob.connect(this.alice.boundEndpoints().get(0));
            this.pull = TestSockets.bound(factory, "pull", SocketType.PULL);
            this.push = TestSockets.connected(factory, "push", SocketType.PUSH, TestSockets.endpoint(this.pull));
            this.router = TestSockets.bound(factory, "router", SocketType.ROUTER);
            this.dealer = TestSockets.connected(factory, "dealer", SocketType.DEALER, TestSockets.endpoint(this.router));
        }

        /** Socket name to bound port. */
        Map<String, Integer> ports() {
            return Map.of("alice", TestSockets.port(this.alice.boundEndpoints().get(0)),
                    "pull", TestSockets.port(TestSockets.endpoint(this.pull)),
                    "router", TestSockets.port(TestSockets.endpoint(this.router)));
        }

        /** One legitimate exchange per socket; messages the random bytes produced are skipped. */
        void roundTrips(String tag) {
            String toAlice = "bob-" + tag;
            this.bob.send(this.aliceId, toAlice);
            ZmqPeer.Received request = awaitPeerMessage(this.alice, toAlice);
            this.alice.send(request.routingId(), "re: " + toAlice);
            assertThat(awaitPeerMessage(this.bob, "re: " + toAlice)).isNotNull();

            String toPull = "push-" + tag;
            TestSockets.send(this.push, toPull);
            awaitSocketMessage(this.pull, toPull);

            String toRouter = "dealer-" + tag;
            TestSockets.send(this.dealer, toRouter);
            List<byte[]> routed = awaitSocketMessage(this.router, toRouter);
            TestSockets.send(this.router, routed.get(0), utf8("re: " + toRouter));
            awaitSocketMessage(this.dealer, "re: " + toRouter);
        }

        void drain() {
            while (this.alice.receive(Duration.ZERO) != null) {
                // discard
            }
            TestSockets.drain(this.pull);
            TestSockets.drain(this.router);
        }

        private static ZmqPeer.Received awaitPeerMessage(ZmqPeer peer, String expected) {
            long deadline = System.nanoTime() + RECEIVE.toNanos();
            while (System.nanoTime() < deadline) {
                ZmqPeer.Received received = peer.receive(RECEIVE);
                if (received != null && text(received.payload()).equals(expected)) {
                    return received;
                }
            }
            throw new AssertionError(peer.name() + " did not receive '" + expected + "' within " + RECEIVE);
        }

        private static List<byte[]> awaitSocketMessage(ManagedSocket socket, String expected) {
            long deadline = System.nanoTime() + RECEIVE.toNanos();
            while (System.nanoTime() < deadline) {
                List<byte[]> frames = TestSockets.receive(socket, RECEIVE);
                if (frames != null && text(frames.get(frames.size() - 1)).equals(expected)) {
                    return frames;
                }
            }
            throw new AssertionError(socket.name() + " did not receive '" + expected + "' within " + RECEIVE);
        }
    }
}
