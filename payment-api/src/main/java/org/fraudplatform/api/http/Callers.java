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
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.runtime.RequestIds;

/**
 * Who is calling: a merchant, by an API key with the route's scope within its rate limit, or a
 * person, by their token, whose role grants the route's permission. Failed authentications are
 * counted per source address ({@link FailedAuthentications}); past the limit the address gets
 * {@code 429} for keys this instance does not know to be valid. Every refusal is counted by its
 * reason ({@code http_authentication_failures}) and, while its address is not being slowed down,
 * written to the audit trail ({@link ApiServer.Staff#authenticationFailed}).
 */
final class Callers {

    private final ApiServer.Authenticator authenticator;
    private final ApiServer.Staff staff;
    private final FailedAuthentications failedAuthentications;
    private final MeterRegistry metrics;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /**
     * @param staff the people, or null when this API has no operator routes
     */
    Callers(
            ApiServer.Authenticator authenticator,
            ApiServer.Staff staff,
            FailedAuthentications failedAuthentications,
            MeterRegistry metrics) {
        this.authenticator = authenticator;
        this.staff = staff;
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
            String reason = check == null ? "missing" : check.status().name().toLowerCase();
            failed(source, reason, check == null || check.key() == null ? "" : check.key().keyId());
            return Access.refused(unauthorized(header, check));
        }
        if (!check.allows(scope)) {
            refused("scope");
            audit(source, "scope", check.key().keyId());
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
        org.slf4j.MDC.put(RequestIds.MERCHANT_KEY, check.merchantId());
        return new Access(check.merchantId(), null);
    }

    /** Whether operator routes are served at all. */
    boolean hasOperators() {
        return staff != null;
    }

    /** The operators' side: people and the audit trail. */
    ApiServer.Staff staff() {
        return staff;
    }

    /** A person route's caller, or the reply that refuses the request (401, 403 or 429). */
    record Staffed(Person person, HttpReply refusal) {
        boolean granted() {
            return refusal == null;
        }
    }

    /**
     * The person whose live token the request carries, if it carries one; nothing is counted (for
     * routes that also serve merchants).
     */
    Optional<Person> person(HttpExchange exchange) {
        String token = bearer(exchange);
        return staff == null || !token.startsWith(PERSON_TOKEN_PREFIX)
                ? Optional.empty()
                : staff.personFor(token);
    }

    /**
     * Authenticates a person route's request: a live person's token whose role grants {@code
     * permission}. A live token is served even from an address being slowed down for failed
     * authentications (as a merchant's known key is), so others behind the same address cannot lock
     * an administrator out; anything else from such an address gets 429.
     */
    Staffed person(HttpExchange exchange, Permission permission) {
        InetAddress source = exchange.getRemoteAddress().getAddress();
        String token = bearer(exchange);
        Optional<Person> person =
                staff == null || !token.startsWith(PERSON_TOKEN_PREFIX)
                        ? Optional.empty()
                        : staff.personFor(token);
        if (person.isEmpty()) {
            long slowedFor = failedAuthentications.retryAfterSeconds(source);
            if (slowedFor > 0) {
                refused("throttled");
                return new Staffed(
                        null,
                        HttpReply.problem(
                                        Problem.of(
                                                429,
                                                "too-many-failed-authentications",
                                                "Too many failed authentications from this"
                                                        + " address",
                                                "Retry after "
                                                        + slowedFor
                                                        + " s with a person's token"))
                                .withHeader("Retry-After", Long.toString(slowedFor)));
            }
            failed(source, token.isEmpty() ? "missing" : "unknown", "");
            return new Staffed(
                    null,
                    HttpReply.problem(
                                    Problem.unauthorized(
                                            "This route takes a person's token ('Authorization:"
                                                    + " Bearer fpt_…', made with 'fraud users"
                                                    + " token NAME'), not a merchant's key; the"
                                                    + " token given is "
                                                    + (token.isEmpty()
                                                            ? "missing"
                                                            : "not a live person's token")))
                            .withHeader("WWW-Authenticate", "Bearer"));
        }
        Person p = person.get();
        if (!p.may(permission)) {
            refused("role");
            audit(source, "role", p.auditName());
            return new Staffed(
                    null,
                    HttpReply.problem(
                            Problem.of(
                                    403,
                                    "insufficient-role",
                                    "The person's role does not allow this",
                                    p.name()
                                            + " ("
                                            + p.role().label()
                                            + ") may not "
                                            + permission.words())));
        }
        return new Staffed(p, null);
    }

    private static final String PERSON_TOKEN_PREFIX = "fpt_";

    private static String bearer(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? ""
                : header.substring(7).trim();
    }

    /** A failed authentication: counted, slowed down past the limit, audited. */
    private void failed(InetAddress source, String reason, String credential) {
        failedAuthentications.failed(source);
        refused(reason);
        audit(source, reason, credential);
    }

    private void audit(InetAddress source, String reason, String credential) {
        if (staff != null) {
            staff.authenticationFailed(source.getHostAddress(), reason, credential);
        }
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
                        + " scope, throttled (the address failed too often), role (a person's role"
                        + " lacks the route's permission)",
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
