package org.fraudplatform.dev.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The simulator's side of the HTTP API: a POST with a bearer key and an Idempotency-Key, the reply
 * as JSON. Because every request carries its key, a request that failed on the way (connection
 * reset, timeout) and one the server still had in progress (409 {@code idempotency-key-in-use}) are
 * sent again: the platform does it once and replays its first answer. A request the platform
 * refused at capacity (503 with {@code Retry-After}) stored nothing and is sent again after the
 * pause it asked for (and a random half second), as a well-behaved client does, for up to two
 * minutes.
 */
final class ApiClient {

    /**
     * One reply.
     *
     * @param status the HTTP status, or 0 when no reply came
     * @param body the JSON body (a missing node when there was none or it was not JSON)
     * @param replayed whether the platform answered from an earlier request with the same key
     */
    record Reply(int status, JsonNode body, boolean replayed) {

        /** A text field of the body, or null. */
        String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;

    /** How long a request refused at capacity keeps being offered again. */
    private static final Duration PATIENCE_AT_CAPACITY = Duration.ofSeconds(120);

    private final URI base;
    private final HttpClient http;

    /** A client of the API at {@code baseUrl} (http or https). */
    ApiClient(String baseUrl) {
        this.base = URI.create(baseUrl.replaceAll("/+$", "") + "/");
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .executor(
                                Executors.newCachedThreadPool(
                                        r -> {
                                            Thread t = new Thread(r, "simulate-http");
                                            t.setDaemon(true);
                                            return t;
                                        }))
                        .build();
    }

    /** POSTs {@code body} to {@code path} (without a leading slash) and reads the reply. */
    Reply post(String key, String path, String idempotencyKey, String body)
            throws InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + key)
                        .header("Idempotency-Key", idempotencyKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        Reply reply = new Reply(0, JSON.missingNode(), false);
        long giveUpAtCapacity = System.nanoTime() + PATIENCE_AT_CAPACITY.toNanos();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                reply =
                        new Reply(
                                response.statusCode(),
                                parse(response.body()),
                                response.headers()
                                        .firstValue("Idempotent-Replayed")
                                        .filter("true"::equals)
                                        .isPresent());
                if (atCapacity(reply) && System.nanoTime() < giveUpAtCapacity) {
                    // the pause the platform asked for, plus up to half a second so that clients
                    // refused together do not all come back in the same instant; not an attempt
                    Thread.sleep(
                            1_000L
                                            * response.headers()
                                                    .firstValue("Retry-After")
                                                    .map(ApiClient::seconds)
                                                    .orElse(1L)
                                    + java.util.concurrent.ThreadLocalRandom.current()
                                            .nextLong(500));
                    attempt--;
                    continue;
                }
                if (!inProgress(reply)) {
                    return reply;
                }
            } catch (IOException e) {
                reply = new Reply(0, JSON.missingNode(), false);
            }
            Thread.sleep(100L * attempt);
        }
        return reply;
    }

    /** Seconds of a {@code Retry-After} header (1 when it is not a number of seconds). */
    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Math.min(30, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static boolean atCapacity(Reply reply) {
        String type = reply.text("type");
        return reply.status() == 503 && type != null && type.endsWith("/overloaded");
    }

    private static boolean inProgress(Reply reply) {
        String type = reply.text("type");
        return reply.status() == 409 && type != null && type.endsWith("idempotency-key-in-use");
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }
}
