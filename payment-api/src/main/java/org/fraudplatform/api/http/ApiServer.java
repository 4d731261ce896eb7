package org.fraudplatform.api.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front door: routing, authentication, header checks and problem responses.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>POST /v1/payments</td><td>authorize a payment (Bearer key, Idempotency-Key)</td></tr>
 *   <tr><td>GET /v1/payments/{id}</td><td>one payment of the calling merchant</td></tr>
 *   <tr><td>GET /health</td><td>readiness: 200 when every check passes, else 503</td></tr>
 *   <tr><td>GET /metrics</td><td>Prometheus exposition</td></tr>
 * </table>
 *
 * <p>Handlers return futures; a server thread never waits for a decision. The response is written
 * by whichever thread completes the future. The body is at most {@link #MAX_BODY_BYTES}.
 */
public final class ApiServer implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String PAYMENTS = "/v1/payments";
    private static final String LISTS = "/v1/lists";

    /** The payments resource. */
    public interface Payments {
        CompletableFuture<HttpReply> create(String merchantId, String idempotencyKey, byte[] body);

        HttpReply get(String merchantId, String paymentId);
    }

    /** Resolves an API key to the merchant it belongs to. */
    public interface Authenticator {
        Optional<String> merchantFor(String apiKey);
    }

    /**
     * The operators' side of the platform: block and allow lists. Authenticated by an operator key,
     * never by a merchant's; every change is audited by the implementation.
     */
    public interface Operations {
        /** The operator an operator key belongs to. */
        Optional<String> operatorFor(String key);

        /** Every entry on the lists, as JSON-ready maps. */
        java.util.List<Map<String, Object>> lists();

        /**
         * Puts a value on a list.
         *
         * @throws IllegalArgumentException for a bad list name or value (a 400 with the reason)
         */
        Map<String, Object> addToList(
                String list,
                String value,
                String note,
                java.time.Duration expiresIn,
                String operator);

        /** Takes a value off a list. */
        void removeFromList(String list, String value, String operator);
    }

    /** Readiness: the name and state of each part the API needs. */
    public interface Health {
        Map<String, Boolean> checks();
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Payments payments;
    private final Authenticator authenticator;
    private final Health health;
    private final PrometheusMeterRegistry metrics;
    private final Operations operations;

    private ApiServer(
            HttpServer server,
            ExecutorService executor,
            Payments payments,
            Authenticator authenticator,
            Health health,
            PrometheusMeterRegistry metrics,
            Operations operations) {
        this.server = server;
        this.executor = executor;
        this.payments = payments;
        this.authenticator = authenticator;
        this.health = health;
        this.metrics = metrics;
        this.operations = operations;
    }

    /**
     * Starts serving.
     *
     * @param address where to listen (port 0 picks a free one)
     * @param threads server threads (they parse and validate; they never wait on Kafka)
     * @param operations the operators' endpoints ({@code /v1/lists}), or null for none
     */
    public static ApiServer start(
            InetSocketAddress address,
            int threads,
            Payments payments,
            Authenticator authenticator,
            Health health,
            PrometheusMeterRegistry metrics,
            Operations operations)
            throws IOException {
        // Without this the JDK server waits on Nagle's algorithm: 40 ms stalls per reply.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(address, 1024);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        ApiServer api =
                new ApiServer(
                        server, executor, payments, authenticator, health, metrics, operations);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String route = "other";
        CompletableFuture<HttpReply> reply;
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/health")) {
                route = "health";
                reply =
                        CompletableFuture.completedFuture(
                                method.equals("GET") ? health() : notAllowed(method));
            } else if (path.equals("/metrics")) {
                route = "metrics";
                reply =
                        CompletableFuture.completedFuture(
                                method.equals("GET")
                                        ? HttpReply.text(
                                                200,
                                                "text/plain; version=0.0.4; charset=utf-8",
                                                metrics.scrape())
                                        : notAllowed(method));
            } else if (path.equals(PAYMENTS) || path.equals(PAYMENTS + "/")) {
                route = "payments.create";
                reply = method.equals("POST") ? createPayment(exchange) : done(notAllowed(method));
            } else if (path.startsWith(PAYMENTS + "/")
                    && path.indexOf('/', PAYMENTS.length() + 1) < 0) {
                route = "payments.get";
                String id = path.substring(PAYMENTS.length() + 1);
                reply = method.equals("GET") ? getPayment(exchange, id) : done(notAllowed(method));
            } else if (operations != null && (path.equals(LISTS) || path.startsWith(LISTS + "/"))) {
                route = "lists";
                reply = done(lists(exchange, method, path.substring(LISTS.length())));
            } else {
                reply = done(HttpReply.problem(Problem.notFound("No route for " + path)));
            }
        } catch (RuntimeException e) {
            log.error("request failed", e);
            reply = done(HttpReply.problem(Problem.internal()));
        }
        String finalRoute = route;
        reply.whenComplete(
                (r, failure) -> {
                    HttpReply out = r;
                    if (failure != null) {
                        log.error("request failed", failure);
                        out = HttpReply.problem(Problem.internal());
                    }
                    send(exchange, out);
                    Timer.builder("http_server_requests")
                            .tag("route", finalRoute)
                            .tag("status", Integer.toString(out.status()))
                            .register(metrics)
                            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                });
    }

    private CompletableFuture<HttpReply> createPayment(HttpExchange exchange) {
        Optional<String> merchant = authenticate(exchange);
        if (merchant.isEmpty()) {
            return done(unauthorized(exchange));
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return done(HttpReply.problem(Problem.unsupportedMediaType(contentType)));
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Optional<String> keyProblem = idempotencyKeyProblem(key);
        if (keyProblem.isPresent()) {
            return done(
                    HttpReply.problem(
                            Problem.invalidFields(
                                    java.util.List.of(
                                            new Problem.FieldProblem(
                                                    "Idempotency-Key", keyProblem.get())))));
        }
        byte[] body;
        try {
            body = readBody(exchange);
        } catch (BodyTooLargeException e) {
            return done(
                    HttpReply.problem(
                            Problem.of(
                                    413,
                                    "body-too-large",
                                    "The body is too large",
                                    e.getMessage())));
        } catch (IOException e) {
            return done(
                    HttpReply.problem(
                            Problem.malformedJson("cannot read the body: " + e.getMessage())));
        }
        return payments.create(merchant.get(), key, body);
    }

    private CompletableFuture<HttpReply> getPayment(HttpExchange exchange, String id) {
        Optional<String> merchant = authenticate(exchange);
        if (merchant.isEmpty()) {
            return done(unauthorized(exchange));
        }
        return done(payments.get(merchant.get(), id));
    }

    /**
     * {@code GET /v1/lists}, {@code POST /v1/lists/{list}} with {@code {"value", "note",
     * "expires_in_days"}}, {@code DELETE /v1/lists/{list}/{value}}; operator key only.
     */
    private HttpReply lists(HttpExchange exchange, String method, String rest) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<String> operator =
                header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? Optional.empty()
                        : operations.operatorFor(header.substring(7).trim());
        if (operator.isEmpty()) {
            return HttpReply.problem(
                            Problem.unauthorized("Lists take an operator key, not a merchant's"))
                    .withHeader("WWW-Authenticate", "Bearer");
        }
        String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("/", -1);
        try {
            if (parts.length == 0 && method.equals("GET")) {
                return HttpReply.json(200, Json.write(Map.of("data", operations.lists())));
            }
            if (parts.length == 1 && method.equals("POST")) {
                var body = Json.MAPPER.readTree(readBody(exchange));
                String value = body.path("value").asText(null);
                String note = body.path("note").asText(null);
                if (value == null || note == null || note.isBlank()) {
                    return HttpReply.problem(
                            Problem.invalidFields(
                                    java.util.List.of(
                                            new Problem.FieldProblem(
                                                    value == null ? "value" : "note",
                                                    "is required"))));
                }
                java.time.Duration expires =
                        body.has("expires_in_days")
                                ? java.time.Duration.ofDays(body.get("expires_in_days").asLong())
                                : null;
                return HttpReply.json(
                        201,
                        Json.write(
                                operations.addToList(
                                        parts[0], value, note, expires, operator.get())));
            }
            if (parts.length == 2 && method.equals("DELETE")) {
                operations.removeFromList(
                        parts[0],
                        java.net.URLDecoder.decode(
                                parts[1], java.nio.charset.StandardCharsets.UTF_8),
                        operator.get());
                return HttpReply.json(200, Json.write(Map.of("removed", true)));
            }
            return HttpReply.problem(Problem.methodNotAllowed(method));
        } catch (IllegalArgumentException e) {
            return HttpReply.problem(
                    Problem.of(400, "invalid-list-entry", "Invalid list entry", e.getMessage()));
        } catch (IOException e) {
            return HttpReply.problem(Problem.malformedJson(e.getMessage()));
        }
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

    private Optional<String> authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String key = header.substring(7).trim();
        return key.isEmpty() ? Optional.empty() : authenticator.merchantFor(key);
    }

    private static HttpReply unauthorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String detail =
                header == null
                        ? "Send the API key as 'Authorization: Bearer <key>'"
                        : "The API key is not valid";
        return HttpReply.problem(Problem.unauthorized(detail))
                .withHeader("WWW-Authenticate", "Bearer");
    }

    private HttpReply health() {
        Map<String, Boolean> checks = health.checks();
        boolean up = checks.values().stream().allMatch(Boolean::booleanValue);
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("status", up ? "up" : "down");
        var parts = new java.util.LinkedHashMap<String, String>();
        checks.forEach((name, ok) -> parts.put(name, ok ? "up" : "down"));
        body.put("checks", parts);
        return HttpReply.json(up ? 200 : 503, Json.write(body));
    }

    private static HttpReply notAllowed(String method) {
        return HttpReply.problem(Problem.methodNotAllowed(method));
    }

    private static CompletableFuture<HttpReply> done(HttpReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BodyTooLargeException(
                        "at most " + MAX_BODY_BYTES + " bytes are accepted");
            }
            return bytes;
        }
    }

    private static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(String message) {
            super(message);
        }
    }

    private static void send(HttpExchange exchange, HttpReply reply) {
        try {
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", reply.contentType());
            reply.headers().forEach(headers::set);
            byte[] body = reply.body();
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            log.debug("client went away before the reply: {}", e.getMessage());
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
