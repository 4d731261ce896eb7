package org.fraudplatform.api.http;

import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fraudplatform.api.keys.KeyCheck;
import org.fraudplatform.api.keys.Scope;
import org.fraudplatform.api.keys.TokenBucket;

/**
 * Who is calling: a merchant, by an API key with the route's scope within its rate limit, or an
 * operator, by an operator key. Failed authentications are counted per source address ({@link
 * FailedAuthentications}); past the limit the address gets {@code 429} for keys this instance does
 * not know to be valid. Every refusal is counted by its reason ({@code
 * http_authentication_failures}).
 */
final class Callers {

    private final ApiServer.Authenticator authenticator;
    private final ApiServer.Operations operations;
    private final FailedAuthentications failedAuthentications;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param operations the operators' side, or null when this API has no operator routes
     */
    Callers(
            ApiServer.Authenticator authenticator,
            ApiServer.Operations operations,
            FailedAuthentications failedAuthentications,
            MeterRegistry metrics) {
        this.authenticator = authenticator;
        this.operations = operations;
        this.failedAuthentications = failedAuthentications;
        this.metrics = metrics;
    }

    /** A merchant route's caller, or the reply that refuses the request (401, 403 or 429). */
    record Access(String id, HttpReply refusal) {
        boolean granted() {
            return refusal == null;
        }

        static Access refused(HttpReply reply) {
            return new Access(null, reply);
        }
    }

    /**
     * Authenticates a merchant route's request: a valid key with the route's scope ({@link
     * RouteScopes}), within its rate limit, from an address that is not being slowed down for
     * failed authentications.
     */
    Access merchant(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Scope scope =
                RouteScopes.required(method, path)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no scope declared for " + method + " " + path));
        InetAddress source = exchange.getRemoteAddress().getAddress();
        long slowedFor = failedAuthentications.retryAfterSeconds(source);
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String key =
                header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? ""
                        : header.substring(7).trim();
        KeyCheck check = key.isEmpty() ? null : authenticator.check(key, slowedFor == 0);
        if (check == null || !check.valid()) {
            if (slowedFor > 0 && (check == null || check.status() == KeyCheck.Status.UNKNOWN)) {
                refused("throttled");
                return Access.refused(
                        HttpReply.problem(
                                        Problem.of(
                                                429,
                                                "too-many-failed-authentications",
                                                "Too many failed authentications from this"
                                                        + " address",
                                                "Retry after "
                                                        + slowedFor
                                                        + " s with a valid API key"))
                                .withHeader("Retry-After", Long.toString(slowedFor)));
            }
            failedAuthentications.failed(source);
            refused(check == null ? "missing" : check.status().name().toLowerCase());
            return Access.refused(unauthorized(header, check));
        }
        if (!check.allows(scope)) {
            refused("scope");
            return Access.refused(
                    HttpReply.problem(
                                    Problem.of(
                                            403,
                                            "insufficient-scope",
                                            "The API key lacks the scope this request needs",
                                            "This request needs the scope "
                                                    + scope
                                                    + "; key "
                                                    + check.key().keyId()
                                                    + " has "
                                                    + (check.scopes().isEmpty()
                                                            ? "none"
                                                            : Scope.names(check.scopes()))))
                            .withHeader(
                                    "WWW-Authenticate",
                                    "Bearer error=\"insufficient_scope\", scope=\""
                                            + scope
                                            + "\""));
        }
        TokenBucket bucket = check.bucket();
        long wait = bucket == null ? 0 : bucket.tryTake();
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
            count("http_rate_limited", "Requests refused with 429: their key's rate limit", "");
            return Access.refused(
                    HttpReply.problem(
                                    Problem.of(
                                            429,
                                            "rate-limited",
                                            "Too many requests for this API key",
                                            "Key "
                                                    + check.key().keyId()
                                                    + " allows "
                                                    + bucket.ratePerSecond()
                                                    + " requests/s on each API instance; retry"
                                                    + " after "
                                                    + seconds
                                                    + " s"))
                            .withHeader("Retry-After", Long.toString(seconds)));
        }
        return new Access(check.merchantId(), null);
    }

    /** Whether operator routes are served at all. */
    boolean hasOperators() {
        return operations != null;
    }

    /** The operator whose key the request carries, if it carries one. */
    Optional<String> operator(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.empty()
                : operations.operatorFor(header.substring(7).trim());
    }

    /** Like {@link #operator}, counting a request without the operator key as a failure. */
    Optional<String> operatorOnly(HttpExchange exchange) {
        Optional<String> operator = operator(exchange);
        if (operator.isEmpty()) {
            failedAuthentications.failed(exchange.getRemoteAddress().getAddress());
            refused("operator");
        }
        return operator;
    }

    /** The 401 for a route only an operator may use. */
    static HttpReply operatorRequired(String detail) {
        return HttpReply.problem(Problem.unauthorized(detail))
                .withHeader("WWW-Authenticate", "Bearer");
    }

    private static HttpReply unauthorized(String header, KeyCheck check) {
        String detail;
        if (header == null) {
            detail = "Send the API key as 'Authorization: Bearer <key>'";
        } else if (check != null && check.status() == KeyCheck.Status.EXPIRED) {
            detail =
                    "The API key " + check.key().keyId() + " expired at " + check.key().expiresAt();
        } else if (check != null && check.status() == KeyCheck.Status.REVOKED) {
            detail = "The API key " + check.key().keyId() + " has been revoked";
        } else {
            detail = "The API key is not valid";
        }
        return HttpReply.problem(Problem.unauthorized(detail))
                .withHeader("WWW-Authenticate", "Bearer");
    }

    /** Counts a refused authentication by its reason. */
    private void refused(String reason) {
        count(
                "http_authentication_failures",
                "Requests refused for their credentials: missing, unknown, expired, revoked,"
                        + " scope, throttled (the address failed too often), operator",
                reason);
    }

    /** Counts a refused or failed request under a metric name and reason ("" for none). */
    void count(String name, String description, String reason) {
        counters.computeIfAbsent(
                        name + "/" + reason,
                        k -> {
                            var b = Counter.builder(name).description(description);
                            if (!reason.isEmpty()) {
                                b.tag("reason", reason);
                            }
                            return b.register(metrics);
                        })
                .increment();
    }
}
