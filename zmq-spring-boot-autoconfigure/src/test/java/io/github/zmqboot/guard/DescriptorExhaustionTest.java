package io.github.zmqboot.guard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.testing.Figures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Descriptor exhaustion never spins a thread. A PULL socket runs in a JVM of its own whose process may open at most
 * {@value #OPEN_FILES} files ({@code ulimit -n}); the test opens tcp connections to it until the socket's backlog is
 * full, so that accepting fails with "Too many open files". The starter's listener then pauses (10 ms doubling to 1 s)
 * instead of retrying at once: a few {@code ACCEPT_FAILED} events a second, an idle I/O thread, one log line; once
 * the test closes its connections, a new client's message gets through. JeroMQ's own listener retries at once:
 * its I/O thread busy and more than 10,000 events a second ({@link #onPlainJeromqAFailedAcceptSpinsTheIoThread}).
 */
@Timeout(180)
class DescriptorExhaustionTest {

    static final int OPEN_FILES = 512;

    /** Connections the test opens at most (more than the child can accept, plus its backlog of 100). */
    static final int FLOOD = 2000;

    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    /** Connects that time out in a row before the child is taken to accept no more. */
    static final int FULL_AFTER_TIMEOUTS = 4;

    static final Duration STEP = Duration.ofSeconds(60);

    @Test
    void whenNoDescriptorIsLeftTheListenerPausesLogsOnceAndRecovers() throws Exception {
        try (Child child = Child.start("starter")) {
            Map<String, String> results = child.floodAndRelease(true);
            assertThat(Long.parseLong(results.get("ACCEPT_FAILED_PER_SECOND"))).as("ACCEPT_FAILED events per second")
                .isLessThan(20);
            assertThat(results).containsEntry("IO_BUSY", "false").containsEntry("RECOVERED_MESSAGE", "hello");
            assertThat(child.lines().stream().filter(line -> line.contains("cannot accept connections on")))
                .as("log lines about the failed accepts").hasSize(1);
            Figures.report("DescriptorExhaustionTest", "ulimit -n " + OPEN_FILES + ": " + child.accepted()
                    + " connections open, then " + results.get("ACCEPT_FAILED_PER_SECOND")
                    + " ACCEPT_FAILED events/s, I/O thread CPU " + percent(results.get("IO_CPU_FRACTION"))
                    + ", a new client's message " + results.get("RECOVERED_MILLIS") + " ms after the flood ended");
        }
    }

    @Test
    void onPlainJeromqAFailedAcceptSpinsTheIoThread() throws Exception {
        try (Child child = Child.start("jeromq")) {
            Map<String, String> results = child.floodAndRelease(false);
            assertThat(Long.parseLong(results.get("ACCEPT_FAILED_PER_SECOND"))).as("ACCEPT_FAILED events per second; "
                    + results).isGreaterThan(1_000);
            assertThat(results).containsEntry("IO_BUSY", "true").containsEntry("IO_THREAD_ALIVE", "true");
            Figures.report("DescriptorExhaustionTest", "plain JeroMQ, ulimit -n " + OPEN_FILES + ": "
                    + results.get("ACCEPT_FAILED_PER_SECOND") + " ACCEPT_FAILED events/s, I/O thread CPU "
                    + percent(results.get("IO_CPU_FRACTION")));
        }
    }

    private static String percent(String fraction) {
        return Math.round(Double.parseDouble(fraction) * 100) + " % of a core";
    }

    /** The child JVM, driven line by line over its standard streams. */
    private static final class Child implements AutoCloseable {

        private final Process process;

        private final OutputStream commands;

        private final List<String> lines = new CopyOnWriteArrayList<>();

        private final BlockingQueue<String> markers = new LinkedBlockingQueue<>();

        private final List<Socket> flood = new ArrayList<>();

        private Child(Process process) {
            this.process = process;
            this.commands = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        this.lines.add(line);
                        if (line.startsWith("PORT ") || line.equals("SAMPLED") || line.startsWith("RESULT FAILED")) {
                            this.markers.add(line);
                        }
                    }
                }
                catch (IOException ex) {
                    // the child ended
                }
                this.markers.add("END");
            }, "descriptor-exhaustion-child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(String mode) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = List.of("bash", "-c", "ulimit -n " + OPEN_FILES + " && exec \"$@\"", "bash",
                    java, "-Xmx256m", "-cp", classpath, DescriptorExhaustionVictim.class.getName(), mode);
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /**
         * Floods the child with connections until its backlog is full, lets it measure, closes the connections,
         * and (when asked) sends a message from a new client; returns the child's results.
         */
        Map<String, String> floodAndRelease(boolean newClient) throws Exception {
            int port = Integer.parseInt(marker("PORT ").substring("PORT ".length()));
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            int timeouts = 0;
            while (this.flood.size() < FLOOD && timeouts < FULL_AFTER_TIMEOUTS) {
                Socket socket = new Socket();
                try {
                    socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
                    this.flood.add(socket);
                    timeouts = 0;
                }
                catch (IOException timedOut) {
                    socket.close();
                    timeouts++; // the backlog is full: for a moment, or for good once the child accepts no more
                }
            }
            send("FLOODED");
            marker("SAMPLED");
            closeFlood();
            send("RELEASED");
            if (newClient) {
                try (RawZmtpClient client = RawZmtpClient.zmtp3(port, "PUSH")) {
                    client.send("hello");
                    return results();
                }
            }
            return results();
        }

        int accepted() {
            return this.flood.size();
        }

        List<String> lines() {
            return this.lines;
        }

        private Map<String, String> results() throws InterruptedException {
            marker("END");
            Map<String, String> results = new LinkedHashMap<>();
            this.lines.stream().filter(line -> line.startsWith("RESULT ")).forEach(line -> {
                int equals = line.indexOf('=');
                results.put(line.substring("RESULT ".length(), equals), line.substring(equals + 1));
            });
            assertThat(results).as("the child's results; its output:\n" + String.join("\n", this.lines))
                .doesNotContainKey("FAILED");
            return results;
        }

        private String marker(String prefix) throws InterruptedException {
            String marker = this.markers.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(marker).as("the child's '" + prefix + "'; its output:\n" + String.join("\n", this.lines))
                .isNotNull()
                .startsWith(prefix);
            return marker;
        }

        private void send(String command) throws IOException {
            this.commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            this.commands.flush();
        }

        private void closeFlood() throws IOException {
            for (Socket socket : this.flood) {
                socket.close();
            }
        }

        @Override
        public void close() throws Exception {
            closeFlood();
            if (!this.process.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
