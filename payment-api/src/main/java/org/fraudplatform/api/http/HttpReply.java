package org.fraudplatform.api.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A complete HTTP response: status, content type, body bytes and extra headers.
 *
 * <p>Replies are values so they can be stored and replayed byte for byte (idempotency).
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    public HttpReply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static HttpReply json(int status, byte[] body) {
        return new HttpReply(status, JSON, body, Map.of());
    }

    public static HttpReply text(int status, String contentType, String body) {
        return new HttpReply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpReply problem(Problem problem) {
        return new HttpReply(problem.status(), PROBLEM_JSON, Json.write(problem), Map.of());
    }

    public HttpReply withHeader(String name, String value) {
        var copy = new java.util.HashMap<>(headers);
        copy.put(name, value);
        return new HttpReply(status, contentType, body, copy);
    }
}
