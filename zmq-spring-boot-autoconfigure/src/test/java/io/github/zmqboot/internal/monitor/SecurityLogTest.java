package io.github.zmqboot.internal.monitor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zmq.Ctx;
import zmq.SocketBase;
import zmq.ZMQ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rule of {@link SecurityLog}, with a short window instead of a minute: one line per socket and remote IP address
 * (whatever the port) per window; what is left out is counted and logged, with the last line, when the window ends or
 * the socket closes; a pair with nothing left out ends with its window; memory stays bounded.
 */
class SecurityLogTest {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingLog log = new RecordingLog();

    private Ctx context;

    private SocketBase alice;

    private SocketBase bob;

    @BeforeEach
    void sockets() {
        this.context = ZMQ.createContext();
        this.alice = this.context.createSocket(ZMQ.ZMQ_PAIR);
        this.bob = this.context.createSocket(ZMQ.ZMQ_PAIR);
        SecurityLog.register(this.alice, "alice");
    }

    @AfterEach
    void close() {
        SecurityLog.forget(this.alice);
        this.alice.close();
        this.bob.close();
        this.context.terminate();
    }

    @Test
    void oneLinePerSocketAndAddressThenTheCountOfWhatWasLeftOutWithTheLastLine() {
        SecurityLog rule = new SecurityLog(WINDOW);
        for (int attempt = 1; attempt <= 6; attempt++) {
            int port = 40000 + attempt; // a reconnecting client: a new port each time
            rule.log(this.log, true, this.alice, "10.0.0.7:" + port, () -> "refused 10.0.0.7:" + port);
        }
        rule.log(this.log, true, this.alice, "10.0.0.8:50000", () -> "refused 10.0.0.8");
        rule.log(this.log, true, this.bob, "10.0.0.7:50000", () -> "bob refused 10.0.0.7");

        assertThat(this.log.lines.subList(0, 3)).containsExactly("WARN refused 10.0.0.7:40001",
                "WARN refused 10.0.0.8", "WARN bob refused 10.0.0.7");
        assertThat(rule.suppressed()).isEqualTo(5);

        await("the window ended").atMost(WAIT).until(() -> this.log.lines.size() == 4);
        assertThat(this.log.lines.get(3)).isEqualTo("WARN Socket 'alice': 5 more security lines about 10.0.0.7 were not"
                + " logged (at most one line per socket and address a minute); the last: refused 10.0.0.7:40006");
        // the summary started a new window: nothing counted in it, so the pair ends with it
        await("every pair ended").atMost(WAIT).until(() -> rule.entries() == 0);
        assertThat(this.log.lines).hasSize(4);

        rule.log(this.log, false, this.alice, "10.0.0.7:40100", () -> "refused again");
        assertThat(this.log.lines).hasSize(5).last().isEqualTo("INFO refused again");
    }

    @Test
    void aSocketThatClosesHasWhatWasLeftOutLoggedAtOnce() {
        SecurityLog rule = new SecurityLog(Duration.ofHours(1));
        rule.log(this.log, false, this.alice, "/10.0.0.7:1", () -> "first");
        rule.log(this.log, true, this.alice, "10.0.0.7:2", () -> "second");
        rule.log(this.log, false, this.bob, "10.0.0.7:3", () -> "other socket");

        rule.flush(this.alice);

        assertThat(this.log.lines).containsExactly("INFO first", "INFO other socket", "WARN Socket 'alice': 1 more"
                + " security line about 10.0.0.7 were not logged (at most one line per socket and address a minute);"
                + " the last: second");
        assertThat(rule.entries()).as("bob's pair stays").isEqualTo(1);
    }

    @Test
    void pastTheLimitOfPairsFurtherAddressesOfASocketShareOneEntry() {
        SecurityLog rule = new SecurityLog(Duration.ofHours(1));
        int addresses = SecurityLog.MAX_ENTRIES + 500;
        for (int i = 0; i < addresses; i++) {
            String ip = "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
            rule.log(this.log, true, this.alice, ip + ":5555", () -> "refused " + ip);
        }
        assertThat(rule.entries()).isEqualTo(SecurityLog.MAX_ENTRIES + 1);
        assertThat(this.log.lines).hasSize(SecurityLog.MAX_ENTRIES + 1);
        assertThat(rule.suppressed()).isEqualTo(499);
    }

    @Test
    void addressesLoseTheirPort() {
        assertThat(SecurityLog.ip("10.0.0.7:5555")).isEqualTo("10.0.0.7");
        assertThat(SecurityLog.ip("/10.0.0.7:5555")).isEqualTo("10.0.0.7");
        assertThat(SecurityLog.ip("host.example/10.0.0.7:5555")).isEqualTo("10.0.0.7");
        assertThat(SecurityLog.ip("[::1]:5555")).isEqualTo("::1");
        assertThat(SecurityLog.ip("fe80::1")).isEqualTo("fe80::1");
        assertThat(SecurityLog.ip("10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(SecurityLog.ip((String) null)).isEqualTo("an unknown address");
        assertThat(SecurityLog.ip("")).isEqualTo("an unknown address");
        assertThat(SecurityLog.ip(new InetSocketAddress("127.0.0.1", 5555))).isEqualTo("127.0.0.1");
    }

    /** The lines logged, as "LEVEL text". */
    private static final class RecordingLog implements Log {

        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void info(Object message) {
            this.lines.add("INFO " + message);
        }

        @Override
        public void warn(Object message) {
            this.lines.add("WARN " + message);
        }

        @Override
        public void info(Object message, Throwable t) {
            info(message);
        }

        @Override
        public void warn(Object message, Throwable t) {
            warn(message);
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isFatalEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public void trace(Object message) {
        }

        @Override
        public void trace(Object message, Throwable t) {
        }

        @Override
        public void debug(Object message) {
        }

        @Override
        public void debug(Object message, Throwable t) {
        }

        @Override
        public void error(Object message) {
            this.lines.add("ERROR " + message);
        }

        @Override
        public void error(Object message, Throwable t) {
            error(message);
        }

        @Override
        public void fatal(Object message) {
            this.lines.add("FATAL " + message);
        }

        @Override
        public void fatal(Object message, Throwable t) {
            fatal(message);
        }
    }
}
