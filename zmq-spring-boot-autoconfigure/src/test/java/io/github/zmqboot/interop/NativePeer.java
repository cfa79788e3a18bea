package io.github.zmqboot.interop;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A native libzmq PEER for the interop tests: {@code peer_client.py} (a ctypes binding to a libzmq built with the
 * draft API, which Debian's binary libzmq lacks) run as a child process. The library comes from the environment
 * variable {@value #LIBRARY_VARIABLE} ({@code .ci/run} builds one and sets it); without it, or without the
 * endpoint's transport in it, {@link #assumeAvailable(String)} skips the test, or fails it under {@code CI=true}
 * ({@link NativeInterop}).
 * <p>
 * The protocol the Java side must speak is in the script's docstring: in {@link #connect connect} mode two native
 * sockets send {@code ping:<tag><i>} and expect {@code pong:<tag><i>:rid=<R>}, then {@code push-me:5} asks for
 * {@code push:0} to {@code push:4}; in {@link #bind bind} mode the native socket answers each {@code ping:<i>}
 * with {@code pong:<i>:rid=<R>} until {@code bye}.
 */
public final class NativePeer implements AutoCloseable {

    /** The environment variable naming the draft libzmq ({@code <prefix>/lib/libzmq.so.5}). */
    public static final String LIBRARY_VARIABLE = "LIBZMQ_DRAFT";

    private static final String PYTHON = "/usr/bin/python3";

    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    /** How long the native side waits for each message of a bound peer (a fresh connect may need a reconnect). */
    private static final String BIND_WAIT_SECONDS = "30";

    private static final String READY = "READY native PEER bound at ";

    private static Path scripts;

    private static Map<String, Boolean> features;

    private final Process process;

    private final StringBuffer output = new StringBuffer();

    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private final Thread reader;

    private NativePeer(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        // libzmq puts an ipc://* bind's socket under TMPDIR; without it, under a relative path in the working folder
        builder.environment().putIfAbsent("TMPDIR", System.getProperty("java.io.tmpdir"));
        this.process = builder.start();
        this.reader = new Thread(this::readOutput, "native-peer-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Skips the calling test unless {@value #LIBRARY_VARIABLE} names a draft libzmq that has the transport of
     * {@code endpoint} ({@code zmq_has}: ipc, WS, WSS; tcp is always there).
     */
    public static void assumeAvailable(String endpoint) {
        String library = System.getenv(LIBRARY_VARIABLE);
        NativeInterop.require(library != null && !library.isBlank(), LIBRARY_VARIABLE
                + " is not set: a libzmq built with the draft API is needed (.ci/build-draft-libzmq.sh; see README)");
        NativeInterop.require(new File(library).isFile(), LIBRARY_VARIABLE + "=" + library + " is no file");
        NativeInterop.require(new File(PYTHON).canExecute(),
                PYTHON + " is missing (the native peer is a Python ctypes program)");
        Map<String, Boolean> has = features();
        NativeInterop.require(has.getOrDefault("draft", false),
                library + " was built without the draft API (zmq_has(\"draft\"))");
        String feature = feature(endpoint);
        NativeInterop.require(feature == null || has.getOrDefault(feature, false),
                library + " lacks the transport of " + endpoint + " (zmq_has(\"" + feature + "\") is false)");
    }

    /**
     * Runs a native peer that connects two PEER sockets to {@code endpoint} with {@code zmq_connect_peer} and
     * exchanges {@code count} pings on each, then takes 5 pushes; asserts it ended in time reporting
     * {@code PASS}, and returns its output.
     * @param options more {@code peer_client.py} options, e.g. {@link #wssClientOptions}
     */
    public static String connect(String endpoint, int count, String... options) {
        try (NativePeer peer = start("connect", endpoint, count, options)) {
            return peer.awaitPass();
        }
    }

    /**
     * Starts a native peer that binds {@code endpoint} (a port or ipc path of {@code *} picks a free one) and
     * answers {@code count} pings, then {@code bye}; returns once it is bound (see {@link #endpoint()}).
     * @param options more {@code peer_client.py} options, e.g. {@link #wssServerOptions}
     */
    public static NativePeer bind(String endpoint, int count, String... options) {
        NativePeer peer = start("bind", endpoint, count, options);
        try {
            peer.ready.get(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
            return peer;
        }
        catch (ExecutionException | TimeoutException ex) {
            peer.close();
            throw new AssertionError("the native peer did not bind " + endpoint + ": " + peer.output, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            peer.close();
            throw new AssertionError("interrupted", ex);
        }
    }

    /** {@code peer_client.py} options for a native wss bind serving a PEM certificate and its private key. */
    public static String[] wssServerOptions(Path certificate, Path privateKey) {
        return new String[] { "--wss-cert", certificate.toString(), "--wss-key", privateKey.toString() };
    }

    /** {@code peer_client.py} options for a native wss connect trusting a PEM certificate, checking a host name. */
    public static String[] wssClientOptions(Path trustedCertificate, String hostName) {
        return new String[] { "--wss-trust", trustedCertificate.toString(), "--wss-hostname", hostName };
    }

    /** {@code peer_client.py} options for a native CURVE server with this Z85 secret key. */
    public static String[] curveServerOptions(String secretKey) {
        return new String[] { "--curve-server", "--curve-secret=" + secretKey };
    }

    /** {@code peer_client.py} options for a native CURVE client: its Z85 key pair and the server's public key. */
    public static String[] curveClientOptions(String publicKey, String secretKey, String serverKey) {
        // "--option=value": a Z85 key may start with '-', which argparse would take for an option of its own
        return new String[] { "--curve-public=" + publicKey, "--curve-secret=" + secretKey,
                "--curve-serverkey=" + serverKey };
    }

    /** The endpoint a {@link #bind bound} native peer listens on, as its bind resolved it. */
    public String endpoint() {
        return this.ready.join();
    }

    /** Waits for the native peer to end; asserts it ended in time with status 0 and {@code PASS}; its output. */
    public String awaitPass() {
        boolean exited;
        try {
            exited = this.process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (exited) {
                this.reader.join(RUN_LIMIT.toMillis());
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
        String text = this.output.toString().trim();
        assertThat(exited).as("the native peer ended within %s: %s", RUN_LIMIT, text).isTrue();
        assertThat(this.process.exitValue()).as("exit status; output: %s", text).isZero();
        assertThat(text.lines()).as("output: %s", text).anyMatch((line) -> line.startsWith("PASS "));
        return text;
    }

    /** Ends the native process if it still runs. */
    @Override
    public void close() {
        this.process.destroyForcibly();
    }

    private static NativePeer start(String mode, String endpoint, int count, String... options) {
        List<String> command = new ArrayList<>(List.of(PYTHON, scripts().resolve("peer_client.py").toString(), mode,
                "127.0.0.1", "0", "--endpoint", endpoint, "--count", Integer.toString(count)));
        if (mode.equals("bind")) {
            command.addAll(List.of("--wait", BIND_WAIT_SECONDS));
        }
        command.addAll(List.of(options));
        try {
            return new NativePeer(command);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + command, ex);
        }
    }

    private void readOutput() {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                this.output.append(line).append('\n');
                if (line.startsWith(READY)) {
                    this.ready.complete(line.substring(READY.length()).trim());
                }
            }
        }
        catch (IOException ex) {
            this.output.append("(output unreadable: ").append(ex).append(")\n");
        }
        this.ready.completeExceptionally(new IllegalStateException("the native peer ended before it was bound"));
    }

    /** The {@code zmq_has} capability of an endpoint's transport (libzmq 4.3.4 spells ws and wss in capitals). */
    private static String feature(String endpoint) {
        String scheme = endpoint.substring(0, Math.max(endpoint.indexOf("://"), 0));
        return switch (scheme) {
            case "ipc" -> "ipc";
            case "ws" -> "WS";
            case "wss" -> "WSS";
            default -> null;
        };
    }

    private static synchronized Map<String, Boolean> features() {
        if (features == null) {
            List<String> command = List.of(PYTHON, scripts().resolve("zmq_draft_ctypes.py").toString(), "has",
                    "draft", "ipc", "WS", "WSS");
            try {
                Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
                String text = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(probe.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("probe ended: " + text).isTrue();
                NativeInterop.require(probe.exitValue() == 0, "the draft libzmq does not load: " + text.trim());
                Map<String, Boolean> found = new HashMap<>();
                text.lines().map((line) -> line.split(" ")).filter((words) -> words.length == 2
                        && (words[0].equals("yes") || words[0].equals("no")))
                    .forEach((words) -> found.put(words[1], words[0].equals("yes")));
                features = Map.copyOf(found);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
        }
        return features;
    }

    /** The two scripts, copied once from the class path into a folder of their own (one imports the other). */
    private static synchronized Path scripts() {
        if (scripts == null) {
            try {
                Path folder = Files.createTempDirectory("native-peer");
                folder.toFile().deleteOnExit();
                for (String name : List.of("zmq_draft_ctypes.py", "peer_client.py")) {
                    Path script = folder.resolve(name);
                    try (InputStream in = NativePeer.class.getResourceAsStream(name)) {
                        Files.copy(in, script);
                    }
                    script.toFile().deleteOnExit();
                }
                scripts = folder;
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return scripts;
    }
}
