package io.github.zmqboot.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls the actuator of a test's real web server with the JDK's {@link HttpClient} and parses the JSON answers with
 * Jackson 3. Every call and every wait is bounded ({@link #TIMEOUT}: long enough for a fresh tcp connect that
 * stalls on a loaded machine).
 */
final class ActuatorHttp {

    /** Longest wait for one HTTP answer, one message or one state change. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final String base;

    ActuatorHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** {@code GET} of {@code path} (from the server root, e.g. {@code /actuator/zmq}). */
    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(this.base + path)).GET());
    }

    /** {@code POST} of the JSON {@code body} to {@code path}. */
    Response post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(this.base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** {@code POST} of {@code {"command": "<command>"}} to {@code path}. */
    Response command(String path, String command) {
        return post(path, JSON.writeValueAsString(Map.of("command", command)));
    }

    /** The {@code status} of {@code /actuator/health/zmq}. */
    String zmqHealthStatus() {
        return get("/actuator/health/zmq").json().path("status").asString();
    }

    /** Waits until {@code /actuator/health/zmq} reports {@code status}, and answers that last response. */
    Response awaitZmqHealth(String status) {
        Response[] last = new Response[1];
        await().atMost(TIMEOUT).untilAsserted(() -> {
            last[0] = get("/actuator/health/zmq");
            assertThat(last[0].json().path("status").asString()).as("zmq health: %s", last[0].body())
                .isEqualTo(status);
        });
        return last[0];
    }

    /**
     * The value of {@code statistic} (e.g. {@code COUNT}) of the meter {@code name} selected by {@code tags}
     * ({@code "key:value"} each) from {@code /actuator/metrics}.
     */
    double measurement(String name, String statistic, String... tags) {
        StringBuilder path = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            path.append(i == 0 ? '?' : '&').append("tag=").append(URLEncoder.encode(tags[i], StandardCharsets.UTF_8));
        }
        Response response = get(path.toString());
        assertThat(response.status()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        List<String> seen = new ArrayList<>();
        for (JsonNode measurement : response.json().path("measurements")) {
            String found = measurement.path("statistic").asString();
            seen.add(found);
            if (statistic.equals(found)) {
                return measurement.path("value").asDouble();
            }
        }
        throw new AssertionError("No " + statistic + " in " + path + " (statistics: " + seen + ")");
    }

    /** The text values of a JSON array (asserting that it is one). */
    static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("an array: %s", array).isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = this.client.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String body = response.body();
            JsonNode json = body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    body, json);
        }
        catch (IOException ex) {
            throw new AssertionError("HTTP call failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted during an HTTP call", ex);
        }
    }

    /** One HTTP answer: status, content type, raw body and its JSON (a missing node when the body is empty). */
    record Response(int status, String contentType, String body, JsonNode json) {
    }
}
