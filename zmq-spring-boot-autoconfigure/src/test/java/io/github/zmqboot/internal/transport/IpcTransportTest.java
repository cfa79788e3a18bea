package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.interop.NativeInterop;
import io.github.zmqboot.interop.Pyzmq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.ZMsg;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ipc://} as libzmq's {@code zmq_ipc(7)}: Unix domain socket files, no TCP port, native libzmq on the other end. */
class IpcTransportTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.defaults.linger=0");

    @TempDir
    Path dir;

    @Test
    void bindCreatesASocketFileOpensNoTcpPortAndCloseRemovesTheFile() throws IOException {
        Path path = this.dir.resolve("alice.sock");
        Set<Long> listeningBefore = listeningTcpSocketsOfThisProcess();
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=ipc://" + path, "zmq.peers.tcp.bind[0]=tcp://127.0.0.1:0")
            .run(context -> {
                assertThat(isSocketFile(path)).as("socket file at %s", path).isTrue();
                Set<Long> opened = listeningTcpSocketsOfThisProcess();
                opened.removeAll(listeningBefore);
                assertThat(opened).as("listening TCP sockets opened: only the tcp peer's").hasSize(1);
            });
        assertThat(path).doesNotExist();
    }

    @Test
    void ipcStarBindsAFreshPathThatBoundEndpointsShowsAndPeersTalkOverIt() {
        this.runner.withPropertyValues("zmq.peers.alice.bind[0]=ipc://*", "zmq.peers.bob.linger=0").run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
            String endpoint = alice.boundEndpoints().get(0);
            assertThat(endpoint).startsWith("ipc:///").doesNotContain("*");
            assertThat(isSocketFile(Path.of(endpoint.substring("ipc://".length())))).isTrue();

            int aliceId = bob.connect(endpoint);
            for (int i = 0; i < 100; i++) {
                bob.send(aliceId, "ping-" + i);
            }
            for (int i = 0; i < 100; i++) {
                ZmqPeer.Received received = alice.receive(TIMEOUT);
                assertThat(received.payload()).asString(StandardCharsets.UTF_8).isEqualTo("ping-" + i);
                alice.send(received.routingId(), "pong-" + i);
                assertThat(bob.receive(TIMEOUT).routingId()).isEqualTo(aliceId);
            }
        });
    }

    @Test
    void aConnectBeforeTheBindRetriesUntilThePathIsBound() {
        Path path = this.dir.resolve("late.sock");
        this.runner.withPropertyValues("zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect[0]=ipc://" + path,
                "zmq.sockets.out.reconnect-interval=20ms", "zmq.sockets.in.type=PULL").run(context -> {
            ZmqSocket out = context.getBean("out", ZmqSocket.class);
            ZmqSocket in = context.getBean("in", ZmqSocket.class);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> out.send("queued before the bind"));
            in.bind("ipc://" + path);
            ZMsg received = in.receive(TIMEOUT);
            assertThat(received).isNotNull();
            assertThat(received.popString()).isEqualTo("queued before the bind");
            sent.get(10, TimeUnit.SECONDS);
        });
    }

    @Test
    void aStaleSocketFileIsReplacedAndALiveOneGivesEaddrinuse() throws IOException {
        Path stale = this.dir.resolve("stale.sock");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(stale));
        dead.close(); // the file stays, nobody listens: what a crashed process leaves
        assertThat(isSocketFile(stale)).isTrue();

        Path live = this.dir.resolve("live.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(live));
            this.runner.withPropertyValues("zmq.peers.alice.linger=0").run(context -> {
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                assertThat(alice.bind("ipc://" + stale)).isEqualTo("ipc://" + stale);
                assertThatThrownBy(() -> alice.bind("ipc://" + live)).isInstanceOf(ZmqException.class)
                    .satisfies(ex -> assertThat(((ZmqException) ex).error()).isEqualTo(ZmqError.EADDRINUSE));
            });
            assertThat(isSocketFile(live)).as("the other process's file stays").isTrue();
        }
    }

    @Test
    void badPathsAreRefusedWithLibzmqErrors() {
        this.runner.withPropertyValues("zmq.peers.alice.linger=0").run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            assertError(() -> alice.bind("ipc://" + this.dir.resolve("x".repeat(120))), ZmqError.ENAMETOOLONG);
            assertError(() -> alice.bind("ipc://" + this.dir.resolve("missing/alice.sock")), ZmqError.ENOENT);
            assertError(() -> alice.bind("ipc://@abstract-name"), ZmqError.ENOTSUP);
        });
    }

    @Test
    void nativeLibzmqPushesAndPullsOverIpc() throws Exception {
        NativeInterop.require(Pyzmq.available(false), "Debian's python3-zmq is not installed");
        Path script = Pyzmq.script(getClass(), "ipc_pushpull.py", this.dir);
        Path nativeBound = this.dir.resolve("native.sock");
        this.runner.withPropertyValues("zmq.sockets.in.type=PULL", "zmq.sockets.in.bind[0]=ipc://*",
                "zmq.sockets.out.type=PUSH", "zmq.sockets.out.connect[0]=ipc://" + nativeBound,
                "zmq.sockets.out.reconnect-interval=20ms", "zmq.sockets.out.linger=10s").run(context -> {
            ZmqSocket in = context.getBean("in", ZmqSocket.class);
            ZmqSocket out = context.getBean("out", ZmqSocket.class);

            assertThat(Pyzmq.run(script, "push", in.boundEndpoints().get(0), "500")).contains("PASS");
            for (int i = 0; i < 500; i++) {
                assertThat(in.receive(TIMEOUT).popString()).isEqualTo("msg-" + i);
            }

            CompletableFuture<String> pulled = CompletableFuture.supplyAsync(() -> runQuietly(script, nativeBound));
            for (int i = 0; i < 500; i++) {
                out.send("msg-" + i); // queued in the pipe until the native PULL binds and we connect
            }
            assertThat(pulled.get(60, TimeUnit.SECONDS)).contains("PASS pulled 500");
        });
    }

    private static String runQuietly(Path script, Path path) {
        try {
            return Pyzmq.run(script, "pull", "ipc://" + path, "500");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void assertError(Runnable call, ZmqError expected) {
        assertThatThrownBy(call::run).isInstanceOf(ZmqException.class)
            .satisfies(ex -> assertThat(((ZmqException) ex).error()).as(ex.getMessage()).isEqualTo(expected));
    }

    private static boolean isSocketFile(Path path) throws IOException {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                && Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
    }

    /** Inodes of this process's TCP sockets in state LISTEN (Linux /proc). */
    private static Set<Long> listeningTcpSocketsOfThisProcess() throws IOException {
        Set<Long> mine = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        mine.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                }
                catch (IOException ex) {
                    // closed meanwhile
                }
            }
        }
        Set<Long> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table)); // once: the table changes between reads
            for (String line : lines.subList(1, lines.size())) {
                String[] columns = line.trim().split("\\s+");
                long inode = Long.parseLong(columns[9]);
                if ("0A".equals(columns[3]) && mine.contains(inode)) {
                    listening.add(inode);
                }
            }
        }
        return listening;
    }
}
