package org.fraudplatform.api.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What every resource reads from a request and answers the same way. */
public final class Requests {

    private Requests() {}

    /** The query string's parameters, decoded; the first value of each wins. */
    static Map<String, String> query(HttpExchange exchange) {
        return decode(exchange.getRequestURI().getRawQuery());
    }

    /**
     * A query string or form body ({@code a=1&b=2}, URL-encoded), decoded; the first value of each
     * name wins.
     */
    public static Map<String, String> decode(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(
                    URLDecoder.decode(k, StandardCharsets.UTF_8),
                    URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The body, read before the handler ran; at most {@link ApiServer#MAX_BODY_BYTES}. */
    static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(ApiServer.MAX_BODY_BYTES + 1);
            if (bytes.length > ApiServer.MAX_BODY_BYTES) {
                throw new BodyTooLargeException(
                        "at most " + ApiServer.MAX_BODY_BYTES + " bytes are accepted");
            }
            return bytes;
        }
    }

    /** A body larger than {@link ApiServer#MAX_BODY_BYTES}. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(String message) {
            super(message);
        }
    }

    /** The request's {@code Idempotency-Key}, or the 400 reply for a missing or malformed one. */
    static Optional<HttpReply> badIdempotencyKey(String key) {
        return idempotencyKeyProblem(key)
                .map(
                        problem ->
                                HttpReply.problem(
                                        Problem.invalidFields(
                                                List.of(
                                                        new Problem.FieldProblem(
                                                                "Idempotency-Key", problem)))));
    }

    /** Idempotency keys are 1 to 255 printable ASCII characters. */
    static Optional<String> idempotencyKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("the header is required (1 to 255 characters)");
        }
        if (key.length() > 255) {
            return Optional.of("must be at most 255 characters, was " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return Optional.of("must be printable ASCII without spaces");
            }
        }
        return Optional.empty();
    }

    static HttpReply notAllowed(String method) {
        return HttpReply.problem(Problem.methodNotAllowed(method));
    }

    static HttpReply notFound(String path) {
        return HttpReply.problem(Problem.notFound("No route for " + path));
    }

    static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
