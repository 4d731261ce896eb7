package org.fraudplatform.api.http;

import static org.fraudplatform.api.http.Requests.done;
import static org.fraudplatform.api.http.Requests.notAllowed;
import static org.fraudplatform.api.http.Requests.notFound;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /v1/payments}: authorize ({@code POST}), search ({@code GET}), one payment ({@code GET
 * /v1/payments/{id}}), its ledger commands ({@code POST …/capture | void | refunds |
 * fraud_reports}) and its events ({@code GET …/events | captures | refunds | chargebacks}).
 */
final class PaymentsResource implements Resource {

    static final String PATH = "/v1/payments";
    private static final Set<String> COMMANDS =
            Set.of("capture", "void", "refunds", "fraud_reports");
    private static final Set<String> EVENT_KINDS =
            Set.of("events", "captures", "refunds", "chargebacks");

    private final ApiServer.Payments payments;
    private final Supplier<ApiServer.Lifecycle> lifecycle;
    private final Callers callers;

    /**
     * @param lifecycle the lifecycle routes, or null until the platform serves them
     */
    PaymentsResource(
            ApiServer.Payments payments, Supplier<ApiServer.Lifecycle> lifecycle, Callers callers) {
        this.payments = payments;
        this.lifecycle = lifecycle;
        this.callers = callers;
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public Routed handle(HttpExchange exchange, String method, String path) {
        ApiServer.Lifecycle routes = lifecycle.get();
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            String route = method.equals("GET") ? "payments.search" : "payments.create";
            if (method.equals("POST")) {
                return new Routed(route, create(exchange));
            }
            return new Routed(
                    route,
                    method.equals("GET") && routes != null
                            ? merchantGet(
                                    callers,
                                    exchange,
                                    m -> routes.search(m, Requests.query(exchange)))
                            : done(notAllowed(method)));
        }
        if (path.indexOf('/', PATH.length() + 1) < 0) {
            String id = path.substring(PATH.length() + 1);
            return new Routed(
                    "payments.get",
                    method.equals("GET")
                            ? merchantGet(
                                    callers,
                                    exchange,
                                    m -> routes != null ? routes.get(m, id) : payments.get(m, id))
                            : done(notAllowed(method)));
        }
        if (routes == null) {
            return new Routed("other", done(notFound(path)));
        }
        String[] parts = path.substring(PATH.length() + 1).split("/", -1);
        String id = parts[0];
        String sub = parts.length == 2 ? parts[1] : "";
        if (method.equals("POST") && COMMANDS.contains(sub)) {
            return new Routed("payments." + sub, command(callers, routes, exchange, id, sub));
        }
        if (method.equals("GET") && EVENT_KINDS.contains(sub)) {
            return new Routed(
                    "payments.events",
                    merchantGet(
                            callers,
                            exchange,
                            m -> routes.events(m, id, sub.equals("events") ? null : sub)));
        }
        return new Routed("other", done(notFound(path)));
    }

    private CompletableFuture<HttpReply> create(HttpExchange exchange) {
        Callers.Access merchant = callers.merchant(exchange);
        if (!merchant.granted()) {
            return done(merchant.refusal());
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return done(HttpReply.problem(Problem.unsupportedMediaType(contentType)));
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Optional<HttpReply> badKey = Requests.badIdempotencyKey(key);
        if (badKey.isPresent()) {
            return done(badKey.get());
        }
        byte[] body;
        try {
            body = Requests.body(exchange);
        } catch (Requests.BodyTooLargeException e) {
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
        return payments.create(merchant.id(), key, body);
    }

    /** A merchant's read: the reply of {@code read} for the caller's merchant, or the refusal. */
    static CompletableFuture<HttpReply> merchantGet(
            Callers callers, HttpExchange exchange, Function<String, HttpReply> read) {
        Callers.Access merchant = callers.merchant(exchange);
        if (!merchant.granted()) {
            return done(merchant.refusal());
        }
        return done(read.apply(merchant.id()));
    }

    /** A ledger command: merchant key, Idempotency-Key, an optional JSON body. */
    static CompletableFuture<HttpReply> command(
            Callers callers,
            ApiServer.Lifecycle lifecycle,
            HttpExchange exchange,
            String id,
            String action) {
        Callers.Access merchant = callers.merchant(exchange);
        if (!merchant.granted()) {
            return done(merchant.refusal());
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Optional<HttpReply> badKey = Requests.badIdempotencyKey(key);
        if (badKey.isPresent()) {
            return done(badKey.get());
        }
        try {
            return lifecycle.command(merchant.id(), id, action, key, Requests.body(exchange));
        } catch (IOException e) {
            return done(
                    HttpReply.problem(
                            Problem.malformedJson("cannot read the body: " + e.getMessage())));
        }
    }
}
