package io.github.zmqboot.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.zeromq.SocketType;
import org.zeromq.ZFrame;
import org.zeromq.ZMQ;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample app, run as a user runs it: {@code java -jar target/zmq-sample-app-*.jar} in its own process
 * (the jar {@code mvn package} built; the pom passes its path as {@code sample.jar}), on free ports for HTTP and
 * every {@code sample.ports.*} entry. The test talks to it from outside, over tcp with its own JeroMQ sockets and over
 * HTTP with the actuator, then stops it with SIGTERM. The process's output goes to
 * {@code target/sample-app-it.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleAppIT {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final Duration EXIT = Duration.ofSeconds(10);

    private final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FreePorts ports;

    private Path log;

    private Process process;

    private ZMQ.Context zmq;

    @BeforeAll
    void startThePackagedJar() throws IOException {
        String jarProperty = System.getProperty("sample.jar");
        assertThat(jarProperty).as("system property sample.jar (set by the pom's failsafe configuration)").isNotNull();
        Path jar = Path.of(jarProperty);
        assertThat(jar).as("the packaged sample app").isRegularFile();
        this.log = Path.of(System.getProperty("sample.log.dir", "target"), logFileName());
        Files.createDirectories(this.log.getParent());
        this.zmq = ZMQ.context(1);

        // the ports are held for the app, but where the platform cannot hold them (FreePorts), one found free can be
        // taken by another process before the app binds it: then start again on others
        for (int attempt = 1; !startOnFreePorts(jar); attempt++) {
            assertThat(attempt).as("attempts to start on free ports; output:%n%s", output()).isLessThan(3);
            Files.move(this.log, this.log.resolveSibling(logFileName() + ".port-taken-" + attempt),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Starts the jar on free ports and waits for {@code /actuator/health} UP.
     *
     * @return false when the app exited because one of its ports was taken meanwhile
     */
    private boolean startOnFreePorts(Path jar) throws IOException {
        if (this.ports != null) {
            this.ports.close();
        }
        this.ports = FreePorts.find();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions());
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + this.ports.http);
        this.ports.properties().forEach(property -> command.add("--" + property));
        command.add("--sample.traffic.interval=500ms");
        this.process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(this.log.toFile())
            .start();

        await("/actuator/health UP").atMost(STARTUP).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!this.process.isAlive()) {
                return true;
            }
            HttpResponse<String> health = tryGet("/actuator/health");
            return health != null && health.statusCode() == 200
                    && "UP".equals(this.json.readTree(health.body()).path("status").asString());
        });
        if (this.process.isAlive()) {
            return true;
        }
        String output = output();
        if (output.contains("EADDRINUSE") || output.contains("already in use")) {
            return false;
        }
        return fail("the sample app exited with " + this.process.exitValue() + " during startup:\n" + output);
    }

    /** The name of the file in {@code target} that takes the process's output. */
    String logFileName() {
        return "sample-app-it.log";
    }

    /** Options for the JVM that runs the jar; none here. */
    List<String> jvmOptions() {
        return List.of();
    }

    @AfterAll
    void stopWhatIsLeft() {
        if (this.zmq != null) {
            this.zmq.close();
        }
        if (this.process != null && this.process.isAlive()) {
            this.process.destroyForcibly();
        }
        if (this.ports != null) {
            this.ports.close();
        }
    }

    @Test
    @Order(1)
    void healthListsEveryPartAndTheTourRuns() throws Exception {
        JsonNode zmqHealth = getJson("/actuator/health/zmq", 200);
        assertThat(zmqHealth.path("status").asString()).isEqualTo("UP");
        assertThat(zmqHealth.path("details").path("proxies").propertyNames()).containsExactlyInAnyOrder("broker",
                "prices");
        assertThat(zmqHealth.path("details").path("peers").path("alice").path("endpoints").get(0).asString())
            .isEqualTo("tcp://127.0.0.1:" + this.ports.port("alice"));

        // the traffic drivers make the app visibly alive
        await("the tour in the log").atMost(PATIENCE).until(() -> {
            String output = output();
            return output.contains("bob <- alice at tcp://127.0.0.1:" + this.ports.port("alice")
                    + ": 'alice@main heard 'hello #")
                    && output.contains("order client got receipt #")
                    && output.contains("price ticker [prices.ACME]: ACME is at ")
                    && output.contains("broker tap: 10 messages captured so far");
        });
    }

    @Test
    @Order(2)
    void aliceAnswersAPeerInAnotherProcessOverTcp() {
        try (ZMQ.Socket peer = client(SocketType.PEER)) {
            // alice is a CURVE server that admits bob's key: this plain JeroMQ peer comes with bob's demo keys
            peer.setCurvePublicKey("f1TV:7K#G#s(dQe6Tfgl5X1R{u*8SXTb0!cugwN@".getBytes(StandardCharsets.US_ASCII));
            peer.setCurveSecretKey("AHY@[k>v=h+?lmol7LXR+HnepA3nPPD5Qj#c{7gL".getBytes(StandardCharsets.US_ASCII));
            peer.setCurveServerKey("SQ)wbGFC9-ZZSRE^6lu=)C7lsGbqL3ftYjZ*b^q1".getBytes(StandardCharsets.US_ASCII));
            int alice = peer.connectPeer("tcp://127.0.0.1:" + this.ports.port("alice"));
            assertThat(alice).isNotZero();
            for (int i = 1; i <= 3; i++) {
                ZFrame hello = new ZFrame("hello #" + i + " from the IT");
                hello.setRoutingId(alice);
                assertThat(hello.send(peer, 0)).isTrue();
                ZFrame answer = ZFrame.recvFrame(peer);
                assertThat(answer).as("alice's answer to hello #%d", i).isNotNull();
                assertThat(answer.getRoutingId()).isEqualTo(alice);
                assertThat(answer.getString(StandardCharsets.UTF_8))
                    .isEqualTo("alice@main heard 'hello #" + i + " from the IT'");
            }
        }
        await().atMost(PATIENCE).until(() -> output().contains("'hello #3 from the IT'"));
    }

    @Test
    @Order(3)
    void theBrokerCarriesAJsonOrderToAWorkerAndTheReceiptBack() {
        JsonNode receipt = order("{\"item\":\"it-widget\",\"quantity\":42}");
        assertThat(receipt.path("item").asString()).isEqualTo("it-widget");
        assertThat(receipt.path("quantity").asInt()).isEqualTo(42);
        assertThat(receipt.path("orderNumber").asLong()).isPositive();
        assertThat(receipt.path("worker").asString()).isIn("order-worker-1", "order-worker-2");
    }

    @Test
    @Order(4)
    void pausingTheBrokerTurnsHealthOutOfServiceAndResumingTurnsItUp() throws Exception {
        JsonNode paused = postJson("/actuator/zmq/proxies/broker", "{\"command\":\"PAUSE\"}", 200);
        assertThat(paused.path("state").asString()).isEqualTo("PAUSED");

        // Spring Boot maps OUT_OF_SERVICE to 503
        JsonNode health = getJson("/actuator/health", 503);
        assertThat(health.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        JsonNode zmqHealth = getJson("/actuator/health/zmq", 503);
        assertThat(zmqHealth.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(zmqHealth.path("details").path("reasons").toString()).contains("proxy 'broker' is paused");
        JsonNode broker = getJson("/actuator/zmq", 200).path("proxies").path("broker");
        assertThat(broker.path("state").asString()).isEqualTo("PAUSED");
        assertThat(broker.path("type").asString()).isEqualTo("router-dealer");
        assertThat(broker.path("statistics").path("frontendMessagesIn").asLong()).isPositive();
        assertThat(broker.path("statistics").path("backendMessagesOut").asLong()).isPositive();

        JsonNode resumed = postJson("/actuator/zmq/proxies/broker", "{\"command\":\"RESUME\"}", 200);
        assertThat(resumed.path("state").asString()).isEqualTo("RUNNING");
        assertThat(getJson("/actuator/health", 200).path("status").asString()).isEqualTo("UP");
        assertThat(order("{\"item\":\"after-resume\",\"quantity\":1}").path("item").asString())
            .isEqualTo("after-resume");
    }

    @Test
    @Order(5)
    void sigtermClosesTheZeroMqContextCleanlyAndExitsWithinTenSeconds() throws Exception {
        this.process.destroy(); // SIGTERM on Linux
        boolean exited = this.process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(exited).as("exited within %s of SIGTERM; output:\n%s", EXIT, output()).isTrue();
        assertThat(this.process.exitValue()).as("exit status (143 = 128 + SIGTERM)").isIn(0, 143);
        String output = output();
        assertThat(output).as("the clean close the context manager logs").contains("ZeroMQ context terminated")
            .doesNotContain("did not terminate");
        assertThat(output.lines().filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ")))
            .as("ERROR lines and stack traces in the whole run").isEmpty();
    }

    /** Sends one JSON order through the broker's frontend with a plain JeroMQ REQ and returns the receipt. */
    private JsonNode order(String request) {
        try (ZMQ.Socket req = client(SocketType.REQ)) {
            req.connect("tcp://127.0.0.1:" + this.ports.port("broker-frontend"));
            assertThat(req.send(request)).isTrue();
            String reply = req.recvStr();
            assertThat(reply).as("the broker's reply to %s", request).isNotNull();
            return this.json.readTree(reply);
        }
    }

    /**
     * A plain JeroMQ socket with a bounded receive and the starter's handshake interval: a fresh tcp connect of
     * JeroMQ 0.6.0 stalls now and then (about 1 in 100 here) until the handshake interval, 30 s by default, drops and
     * redoes it; queued messages survive that.
     */
    private ZMQ.Socket client(SocketType type) {
        ZMQ.Socket socket = this.zmq.socket(type);
        socket.setLinger(0);
        socket.setReceiveTimeOut((int) PATIENCE.toMillis());
        socket.setHandshakeIvl(5000);
        return socket;
    }

    private JsonNode getJson(String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = this.http.send(request(path).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(expectedStatus);
        return this.json.readTree(response.body());
    }

    private JsonNode postJson(String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = this.http.send(request(path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s %s: %s", path, body, response.body()).isEqualTo(expectedStatus);
        return this.json.readTree(response.body());
    }

    /** GET, or null while the server does not answer yet. */
    private HttpResponse<String> tryGet(String path) {
        try {
            return this.http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.ports.http + path))
            .timeout(Duration.ofSeconds(10));
    }

    String output() throws IOException {
        // the process is still writing: a character cut in half reads as U+FFFD instead of failing
        return new String(Files.readAllBytes(this.log), StandardCharsets.UTF_8);
    }
}
