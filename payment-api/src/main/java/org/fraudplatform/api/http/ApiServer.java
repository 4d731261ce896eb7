package org.fraudplatform.api.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fraudplatform.api.keys.KeyCheck;
import org.fraudplatform.api.keys.Scope;
import org.fraudplatform.api.keys.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front door: routing, authentication, header checks and problem responses.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>POST /v1/payments</td><td>authorize a payment (Bearer key, Idempotency-Key)</td></tr>
 *   <tr><td>GET /v1/payments/{id}</td><td>one payment of the calling merchant, with its amounts
 *       and events</td></tr>
 *   <tr><td>GET /v1/payments?card=&amp;customer=&amp;status=&amp;from=&amp;to=&amp;limit=&amp;starting_after=</td>
 *       <td>the merchant's payments, newest first, paginated</td></tr>
 *   <tr><td>POST /v1/payments/{id}/capture | void | refunds | fraud_reports</td>
 *       <td>ledger commands (Idempotency-Key); 422 names the invariant a refused one breaks</td></tr>
 *   <tr><td>GET /v1/payments/{id}/events | captures | refunds | chargebacks</td>
 *       <td>the payment's ledger events, all or of one kind</td></tr>
 *   <tr><td>GET /v1/reviews, POST /v1/reviews/{id}/approve | reject</td>
 *       <td>the manual review queue and its outcomes (Idempotency-Key)</td></tr>
 *   <tr><td>GET /v1/balances</td><td>the merchant's money per currency</td></tr>
 *   <tr><td>POST /v1/provider-notifications</td><td>chargebacks and late answers from payment
 *       providers (operator key)</td></tr>
 *   <tr><td>GET /health</td><td>readiness: 200 when every check passes, else 503</td></tr>
 *   <tr><td>GET /metrics</td><td>Prometheus exposition</td></tr>
 * </table>
 *
 * <p>Handlers return futures; a server thread never waits for a decision. The response is written
 * by whichever thread completes the future. The body is at most {@link #MAX_BODY_BYTES} and is read
 * first, within {@link #DEFAULT_BODY_READ_TIMEOUT}: a client still sending it then has its
 * connection closed, so a slow upload holds a server thread for that long at most.
 *
 * <p>Every merchant route needs a scope ({@link RouteScopes}): a valid key without it gets {@code
 * 403} naming the scope, an unknown, expired or revoked key {@code 401}, a key over its rate limit
 * {@code 429} with {@code Retry-After}. Failed authentications are counted per source address
 * ({@link FailedAuthentications}); past the limit the address gets {@code 429} for keys this
 * instance does not know to be valid.
 */
public final class ApiServer implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** How long a request's body may take to arrive, by default. */
    public static final java.time.Duration DEFAULT_BODY_READ_TIMEOUT =
            java.time.Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String PAYMENTS = "/v1/payments";
    private static final String LISTS = "/v1/lists";
    private static final String REVIEWS = "/v1/reviews";
    private static final String BALANCES = "/v1/balances";
    private static final String NOTICES = "/v1/provider-notifications";
    private static final String RECONCILIATION = "/v1/reconciliation";
    private static final String RESOLUTIONS = RECONCILIATION + "/resolutions";
    private static final String ENDPOINTS = "/v1/webhook_endpoints";
    private static final String DELIVERIES = "/v1/webhook_deliveries";
    private static final java.util.Set<String> COMMANDS =
            java.util.Set.of("capture", "void", "refunds", "fraud_reports");
    private static final java.util.Set<String> EVENT_KINDS =
            java.util.Set.of("events", "captures", "refunds", "chargebacks");

    /** The payments resource. */
    public interface Payments {
        CompletableFuture<HttpReply> create(String merchantId, String idempotencyKey, byte[] body);

        HttpReply get(String merchantId, String paymentId);
    }

    /** The payment lifecycle after authorization: ledger commands, history, reviews. */
    public interface Lifecycle {
        /** One payment with its amounts and events. */
        HttpReply get(String merchantId, String paymentId);

        /** The payment's events, all ({@code kind} null) or of one kind (captures, refunds, …). */
        HttpReply events(String merchantId, String paymentId, String kind);

        /** The merchant's payments matching the query parameters. */
        HttpReply search(String merchantId, Map<String, String> query);

        /**
         * A ledger command on one payment: {@code capture}, {@code void}, {@code refunds}, {@code
         * fraud_reports}, {@code approve} or {@code reject} (reviews).
         */
        CompletableFuture<HttpReply> command(
                String merchantId,
                String paymentId,
                String action,
                String idempotencyKey,
                byte[] body);

        /** The merchant's review queue. */
        HttpReply reviews(String merchantId, Map<String, String> query);

        /** The merchant's balances per currency. */
        HttpReply balances(String merchantId);

        /** A provider's notice (a chargeback, its outcome), relayed by an operator. */
        CompletableFuture<HttpReply> providerNotice(String operator, byte[] body);
    }

    /** Reconciliation of the ledger with providers' settlement reports. */
    public interface Reconciliation {
        /** A day's items; {@code merchantId} null for an operator, who sees every merchant's. */
        HttpReply items(String merchantId, Map<String, String> query);

        /** An operator resolves an exception ({@code {"item_id", "note"}}). */
        CompletableFuture<HttpReply> resolve(String operator, byte[] body);
    }

    /** The merchants' webhook endpoints and deliveries. */
    public interface Webhooks {
        HttpReply createEndpoint(String merchantId, byte[] body);

        HttpReply endpoints(String merchantId);

        HttpReply deleteEndpoint(String merchantId, String id);

        HttpReply deliveries(String merchantId, Map<String, String> query);

        HttpReply resend(String merchantId, String deliveryId);
    }

    /** Checks a merchant's API key: valid (with its merchant, scopes and limit), or why not. */
    public interface Authenticator {
        /**
         * @param mayQueryDatabase false to answer from what this instance already knows (a key it
         *     does not know is then unknown), for a source address that is being slowed down
         */
        KeyCheck check(String apiKey, boolean mayQueryDatabase);
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

    /**
     * Set while a request runs on the server's dispatcher thread because every server thread is
     * busy and the queue in front of them is full: such a request is refused at once.
     */
    private static final ThreadLocal<Boolean> SHEDDING = ThreadLocal.withInitial(() -> false);

    /** Requests waiting for a server thread, at most, before new ones are refused. */
    private static final int MAX_QUEUED = 256;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Admission admission;
    private final Map<String, io.micrometer.core.instrument.Counter> shedCounters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Payments payments;
    private final Authenticator authenticator;
    private final Health health;
    private final PrometheusMeterRegistry metrics;
    private final Operations operations;
    private final FailedAuthentications failedAuthentications =
            new FailedAuthentications(FailedAuthentications.DEFAULT_PER_MINUTE, System::nanoTime);
    private final BodyReader bodies = new BodyReader(DEFAULT_BODY_READ_TIMEOUT);
    private final Map<String, io.micrometer.core.instrument.Counter> refusalCounters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Lifecycle lifecycle;
    private volatile Reconciliation reconciliation;
    private volatile Webhooks webhooks;

    private ApiServer(
            HttpServer server,
            ExecutorService executor,
            Payments payments,
            Authenticator authenticator,
            Health health,
            PrometheusMeterRegistry metrics,
            Operations operations,
            Admission admission) {
        this.server = server;
        this.executor = executor;
        this.admission = admission;
        this.payments = payments;
        this.authenticator = authenticator;
        this.health = health;
        this.metrics = metrics;
        this.operations = operations;
        // exported from the start, so that an alert on the rate of refusals has a series to read
        shedCounter("queue_full");
        shedCounter("in_flight");
    }

    /**
     * Starts serving.
     *
     * @param address where to listen (port 0 picks a free one)
     * @param threads server threads (they parse and validate; they never wait on Kafka)
     * @param operations the operators' endpoints ({@code /v1/lists}), or null for none
     * @param maxInFlight payments and money movements worked on at once, at most; more are refused
     *     with 503
     * @param latencyTarget the mean latency the bound adapts to keep accepted requests at (zero: a
     *     fixed bound of {@code maxInFlight})
     */
    public static ApiServer start(
            InetSocketAddress address,
            int threads,
            Payments payments,
            Authenticator authenticator,
            Health health,
            PrometheusMeterRegistry metrics,
            Operations operations,
            int maxInFlight,
            java.time.Duration latencyTarget)
            throws IOException {
        configureJdkServer();
        HttpServer server = HttpServer.create(address, 1024);
        AtomicInteger n = new AtomicInteger();
        // A bounded queue in front of the server threads: when it is full the dispatcher runs the
        // request itself, flagged, and the handler refuses it at once. No queue grows without
        // bound.
        java.util.concurrent.ThreadPoolExecutor executor =
                new java.util.concurrent.ThreadPoolExecutor(
                        threads,
                        threads,
                        0,
                        TimeUnit.MILLISECONDS,
                        new java.util.concurrent.ArrayBlockingQueue<>(MAX_QUEUED),
                        r -> {
                            Thread t = new Thread(r, "http-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        },
                        (task, pool) -> {
                            if (pool.isShutdown()) {
                                return;
                            }
                            SHEDDING.set(true);
                            try {
                                task.run();
                            } finally {
                                SHEDDING.set(false);
                            }
                        });
        server.setExecutor(executor);
        Admission admission = new Admission(maxInFlight, latencyTarget);
        io.micrometer.core.instrument.Gauge.builder(
                        "http_in_flight", admission, Admission::inFlight)
                .description("Payments and money movements being worked on now")
                .register(metrics);
        io.micrometer.core.instrument.Gauge.builder(
                        "http_admission_limit", admission, Admission::limit)
                .description("Payments and money movements taken on at once before 503, now")
                .register(metrics);
        ApiServer api =
                new ApiServer(
                        server,
                        executor,
                        payments,
                        authenticator,
                        health,
                        metrics,
                        operations,
                        admission);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /**
     * Settings of the JDK's HTTP server, read once per JVM when its first server starts (so the
     * {@code fraud} command sets them before anything else):
     *
     * <ul>
     *   <li>{@code nodelay}: without it replies wait on Nagle's algorithm, 40 ms each;
     *   <li>{@code maxIdleConnections}: the default, 200, closes every keep-alive connection above
     *       200 as soon as it goes idle, under a client that still counts on it: a merchant's
     *       connection pool of more than 200 sees resets and broken pipes on its next request;
     *   <li>{@code idleInterval}: an idle keep-alive connection is closed after 5 minutes, not 30
     *       s, so a pool that pauses between bursts keeps its connections.
     * </ul>
     *
     * A value already set (a {@code -D} flag) is kept.
     */
    public static void configureJdkServer() {
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", "100000");
        setIfAbsent("sun.net.httpserver.idleInterval", "300");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Closes connections whose request body takes longer than this to arrive. */
    public void bodyReadTimeout(java.time.Duration timeout) {
        bodies.timeout(timeout);
    }

    /** Serves the webhook routes from now on. */
    public void webhooks(Webhooks routes) {
        this.webhooks = routes;
    }

    /** Serves the reconciliation routes from now on. */
    public void reconciliation(Reconciliation routes) {
        this.reconciliation = routes;
    }

    /** Serves the lifecycle routes from now on. */
    public void lifecycle(Lifecycle routes) {
        this.lifecycle = routes;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Whether a request starts work the platform must bound: a payment or a money movement. */
    static boolean startsWork(String method, String path) {
        if (!method.equals("POST")) {
            return false;
        }
        return path.equals(PAYMENTS)
                || path.equals(PAYMENTS + "/")
                || path.startsWith(PAYMENTS + "/")
                || path.startsWith(REVIEWS + "/")
                || path.equals(NOTICES);
    }

    private static HttpReply overloaded(String detail) {
        return HttpReply.problem(
                        Problem.of(
                                503,
                                "overloaded",
                                "The platform is at capacity; retry shortly",
                                detail
                                        + " Nothing was stored: retry with the same"
                                        + " Idempotency-Key after Retry-After seconds."))
                .withHeader("Retry-After", "1");
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String route = "other";
        CompletableFuture<HttpReply> reply;
        boolean admitted = false;
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (startsWork(method, path)) {
                if (SHEDDING.get()) {
                    shed("queue_full");
                    send(
                            exchange,
                            overloaded("Every server thread is busy and the queue is full."));
                    return;
                }
                if (!admission.tryEnter()) {
                    shed("in_flight");
                    send(
                            exchange,
                            overloaded(
                                    admission.limit() + " payments are being worked on already."));
                    return;
                }
                admitted = true;
            }
            try {
                prefetchBody(exchange);
            } catch (IOException e) {
                // the JDK's server closes the connection: no reply can reach such a client
                if (admitted) {
                    admission.leave(System.nanoTime() - started);
                }
                if (e instanceof BodyReader.SlowBodyException) {
                    count("http_slow_bodies", "Requests whose body did not arrive in time", "");
                }
                throw e;
            }
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
                route = method.equals("GET") ? "payments.search" : "payments.create";
                reply =
                        method.equals("POST")
                                ? createPayment(exchange)
                                : method.equals("GET") && lifecycle != null
                                        ? merchantGet(
                                                exchange, m -> lifecycle.search(m, query(exchange)))
                                        : done(notAllowed(method));
            } else if (path.startsWith(PAYMENTS + "/")
                    && path.indexOf('/', PAYMENTS.length() + 1) < 0) {
                route = "payments.get";
                String id = path.substring(PAYMENTS.length() + 1);
                reply = method.equals("GET") ? getPayment(exchange, id) : done(notAllowed(method));
            } else if (lifecycle != null && path.startsWith(PAYMENTS + "/")) {
                String[] parts = path.substring(PAYMENTS.length() + 1).split("/", -1);
                String id = parts[0];
                String sub = parts.length == 2 ? parts[1] : "";
                if (method.equals("POST") && COMMANDS.contains(sub)) {
                    route = "payments." + sub;
                    reply = command(exchange, id, sub);
                } else if (method.equals("GET") && EVENT_KINDS.contains(sub)) {
                    route = "payments.events";
                    reply =
                            merchantGet(
                                    exchange,
                                    m ->
                                            lifecycle.events(
                                                    m, id, sub.equals("events") ? null : sub));
                } else {
                    reply = done(HttpReply.problem(Problem.notFound("No route for " + path)));
                }
            } else if (lifecycle != null && path.equals(REVIEWS)) {
                route = "reviews.list";
                reply =
                        method.equals("GET")
                                ? merchantGet(exchange, m -> lifecycle.reviews(m, query(exchange)))
                                : done(notAllowed(method));
            } else if (lifecycle != null && path.startsWith(REVIEWS + "/")) {
                String[] parts = path.substring(REVIEWS.length() + 1).split("/", -1);
                route = "reviews.decide";
                reply =
                        parts.length == 2
                                        && method.equals("POST")
                                        && (parts[1].equals("approve") || parts[1].equals("reject"))
                                ? command(exchange, parts[0], parts[1])
                                : done(HttpReply.problem(Problem.notFound("No route for " + path)));
            } else if (lifecycle != null && path.equals(BALANCES)) {
                route = "balances";
                reply =
                        method.equals("GET")
                                ? merchantGet(exchange, lifecycle::balances)
                                : done(notAllowed(method));
            } else if (lifecycle != null && operations != null && path.equals(NOTICES)) {
                route = "provider.notices";
                reply = method.equals("POST") ? providerNotice(exchange) : done(notAllowed(method));
            } else if (webhooks != null
                    && (path.equals(ENDPOINTS)
                            || path.startsWith(ENDPOINTS + "/")
                            || path.equals(DELIVERIES)
                            || path.startsWith(DELIVERIES + "/"))) {
                route = path.startsWith(ENDPOINTS) ? "webhooks.endpoints" : "webhooks.deliveries";
                try {
                    reply = done(webhookRoute(exchange, method, path));
                } catch (IOException e) {
                    reply = done(HttpReply.problem(Problem.malformedJson("cannot read the body")));
                }
            } else if (reconciliation != null && path.equals(RECONCILIATION)) {
                route = "reconciliation.items";
                reply =
                        method.equals("GET")
                                ? done(reconciliationItems(exchange))
                                : done(notAllowed(method));
            } else if (reconciliation != null && operations != null && path.equals(RESOLUTIONS)) {
                route = "reconciliation.resolve";
                reply = method.equals("POST") ? resolve(exchange) : done(notAllowed(method));
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
        boolean holdsSlot = admitted;
        reply.whenComplete(
                (r, failure) -> {
                    if (holdsSlot) {
                        admission.leave(System.nanoTime() - started);
                    }
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

    private void shed(String reason) {
        shedCounter(reason).increment();
    }

    private io.micrometer.core.instrument.Counter shedCounter(String reason) {
        return shedCounters.computeIfAbsent(
                reason,
                r ->
                        io.micrometer.core.instrument.Counter.builder("http_requests_shed")
                                .description(
                                        "Requests refused with 503 because the platform"
                                                + " was at capacity")
                                .tag("reason", r)
                                .register(metrics));
    }

    private CompletableFuture<HttpReply> createPayment(HttpExchange exchange) {
        Access merchant = access(exchange);
        if (!merchant.granted()) {
            return done(merchant.refusal());
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            return done(HttpReply.problem(Problem.unsupportedMediaType(contentType)));
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Optional<HttpReply> badKey = badIdempotencyKey(key);
        if (badKey.isPresent()) {
            return done(badKey.get());
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
        return payments.create(merchant.id(), key, body);
    }

    private CompletableFuture<HttpReply> getPayment(HttpExchange exchange, String id) {
        Access merchant = access(exchange);
        if (!merchant.granted()) {
            return done(merchant.refusal());
        }
        Lifecycle routes = lifecycle;
        return done(
                routes != null ? routes.get(merchant.id(), id) : payments.get(merchant.id(), id));
    }

    private CompletableFuture<HttpReply> merchantGet(
            HttpExchange exchange, java.util.function.Function<String, HttpReply> read) {
        Access merchant = access(exchange);
        if (!merchant.granted()) {
            return done(merchant.refusal());
        }
        return done(read.apply(merchant.id()));
    }

    /** A ledger command: merchant key, Idempotency-Key, an optional JSON body. */
    private CompletableFuture<HttpReply> command(HttpExchange exchange, String id, String action) {
        Access merchant = access(exchange);
        if (!merchant.granted()) {
            return done(merchant.refusal());
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Optional<HttpReply> badKey = badIdempotencyKey(key);
        if (badKey.isPresent()) {
            return done(badKey.get());
        }
        try {
            return lifecycle.command(merchant.id(), id, action, key, readBody(exchange));
        } catch (IOException e) {
            return done(
                    HttpReply.problem(
                            Problem.malformedJson("cannot read the body: " + e.getMessage())));
        }
    }

    private HttpReply webhookRoute(HttpExchange exchange, String method, String path)
            throws IOException {
        Access merchant = access(exchange);
        if (!merchant.granted()) {
            return merchant.refusal();
        }
        String m = merchant.id();
        if (path.equals(ENDPOINTS)) {
            return switch (method) {
                case "GET" -> webhooks.endpoints(m);
                case "POST" -> webhooks.createEndpoint(m, readBody(exchange));
                default -> notAllowed(method);
            };
        }
        if (path.startsWith(ENDPOINTS + "/")) {
            String id = path.substring(ENDPOINTS.length() + 1);
            return method.equals("DELETE") ? webhooks.deleteEndpoint(m, id) : notAllowed(method);
        }
        if (path.equals(DELIVERIES)) {
            return method.equals("GET")
                    ? webhooks.deliveries(m, query(exchange))
                    : notAllowed(method);
        }
        String rest = path.substring(DELIVERIES.length() + 1);
        if (rest.endsWith("/resend")) {
            String id = rest.substring(0, rest.length() - "/resend".length());
            return method.equals("POST") ? webhooks.resend(m, id) : notAllowed(method);
        }
        return HttpReply.problem(Problem.notFound("No route for " + path));
    }

    /** A merchant sees its own items; an operator key sees every merchant's. */
    private HttpReply reconciliationItems(HttpExchange exchange) {
        if (operations != null && operator(exchange).isPresent()) {
            return reconciliation.items(null, query(exchange));
        }
        Access merchant = access(exchange);
        return merchant.granted()
                ? reconciliation.items(merchant.id(), query(exchange))
                : merchant.refusal();
    }

    private CompletableFuture<HttpReply> resolve(HttpExchange exchange) {
        Optional<String> operator = operatorOnly(exchange);
        if (operator.isEmpty()) {
            return done(
                    HttpReply.problem(
                                    Problem.unauthorized(
                                            "Resolving reconciliation exceptions takes an operator"
                                                    + " key"))
                            .withHeader("WWW-Authenticate", "Bearer"));
        }
        try {
            return reconciliation.resolve(operator.get(), readBody(exchange));
        } catch (IOException e) {
            return done(HttpReply.problem(Problem.malformedJson("cannot read the body")));
        }
    }

    private CompletableFuture<HttpReply> providerNotice(HttpExchange exchange) {
        Optional<String> operator = operatorOnly(exchange);
        if (operator.isEmpty()) {
            return done(
                    HttpReply.problem(
                                    Problem.unauthorized(
                                            "Provider notifications take an operator key"))
                            .withHeader("WWW-Authenticate", "Bearer"));
        }
        try {
            return lifecycle.providerNotice(operator.get(), readBody(exchange));
        } catch (IOException e) {
            return done(
                    HttpReply.problem(
                            Problem.malformedJson("cannot read the body: " + e.getMessage())));
        }
    }

    /** The query string's parameters, decoded; the first value of each wins. */
    static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(
                    java.net.URLDecoder.decode(k, java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * {@code GET /v1/lists}, {@code POST /v1/lists/{list}} with {@code {"value", "note",
     * "expires_in_days"}}, {@code DELETE /v1/lists/{list}/{value}}; operator key only.
     */
    private HttpReply lists(HttpExchange exchange, String method, String rest) {
        Optional<String> operator = operatorOnly(exchange);
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

    /** The 400 reply for a missing or malformed Idempotency-Key, if it is one. */
    private static Optional<HttpReply> badIdempotencyKey(String key) {
        return idempotencyKeyProblem(key)
                .map(
                        problem ->
                                HttpReply.problem(
                                        Problem.invalidFields(
                                                java.util.List.of(
                                                        new Problem.FieldProblem(
                                                                "Idempotency-Key", problem)))));
    }

    /** Like {@link #operator}, counting a request without the operator key as a failure. */
    private Optional<String> operatorOnly(HttpExchange exchange) {
        Optional<String> operator = operator(exchange);
        if (operator.isEmpty()) {
            failedAuthentications.failed(exchange.getRemoteAddress().getAddress());
            refused("operator");
        }
        return operator;
    }

    /** The operator whose key the request carries, if it carries one. */
    private Optional<String> operator(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.empty()
                : operations.operatorFor(header.substring(7).trim());
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

    /** A merchant route's caller, or the reply that refuses the request (401, 403 or 429). */
    private record Access(String id, HttpReply refusal) {
        boolean granted() {
            return refusal == null;
        }

        static Access refused(HttpReply reply) {
            return new Access(null, reply);
        }
    }

    /**
     * Authenticates a merchant route's request: a valid key with the route's scope, within its rate
     * limit, from an address that is not being slowed down for failed authentications.
     */
    private Access access(HttpExchange exchange) {
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

    private void count(String name, String description, String reason) {
        refusalCounters
                .computeIfAbsent(
                        name + "/" + reason,
                        k -> {
                            var b =
                                    io.micrometer.core.instrument.Counter.builder(name)
                                            .description(description);
                            if (!reason.isEmpty()) {
                                b.tag("reason", reason);
                            }
                            return b.register(metrics);
                        })
                .increment();
    }

    /**
     * Reads the request's body before anything else, within the body read timeout, and puts it in
     * place of the socket's stream: a handler never blocks on a client, and nothing is left to
     * drain when the exchange closes. A body larger than {@link #MAX_BODY_BYTES} is discarded
     * (within the same timeout) past that size; the handler then answers 413.
     */
    private void prefetchBody(HttpExchange exchange) throws IOException {
        var headers = exchange.getRequestHeaders();
        String length = headers.getFirst("Content-Length");
        long expected;
        if (length != null) {
            expected = Long.parseLong(length.trim());
        } else {
            expected = headers.containsKey("Transfer-Encoding") ? -1 : 0;
        }
        if (expected == 0) {
            return;
        }
        InputStream socket = exchange.getRequestBody();
        byte[] body = bodies.read(socket, MAX_BODY_BYTES + 1, expected);
        if (body.length > MAX_BODY_BYTES) {
            bodies.discard(socket);
        }
        exchange.setStreams(new ByteArrayInputStream(body), null);
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
        bodies.close();
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
