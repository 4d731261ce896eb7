package org.fraudplatform.api.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fraudplatform.api.audit.AuditTrail;
import org.fraudplatform.api.keys.KeyCheck;
import org.fraudplatform.api.merchants.MerchantAdmin;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.api.tls.ServerTls;
import org.fraudplatform.runtime.RequestIds;
import org.fraudplatform.runtime.tracing.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP front door: what every request goes through, then the resource that owns its path.
 *
 * <p>Every request: bounded admission for requests that start work (a payment, a money movement:
 * past the bound, or with every server thread busy and the queue full, {@code 503} at once with
 * {@code Retry-After}); its body read first, at most {@link #MAX_BODY_BYTES} within {@link
 * #DEFAULT_BODY_READ_TIMEOUT} (a client still sending it then has its connection closed, so a slow
 * upload holds a server thread for that long at most); the reply written by whichever thread
 * completes the resource's future (a server thread never waits for a decision); {@code
 * http_server_requests} by route and status.
 *
 * <p>One handler per resource: {@link PaymentsResource} ({@code /v1/payments}, its commands and
 * events), {@link ReviewsResource}, {@link BalancesResource}, {@link ProviderNoticesResource},
 * {@link WebhooksResource}, {@link ReconciliationResource}, {@link ListsResource} and {@link
 * HealthResource} ({@code /health}, {@code /metrics}). Who calls is {@link Callers}' answer: every
 * merchant route needs a scope ({@link RouteScopes}); a valid key without it gets {@code 403}
 * naming the scope, an unknown, expired or revoked key {@code 401}, a key over its rate limit
 * {@code 429} with {@code Retry-After}. Operator routes (lists, provider notices, reconciliation
 * resolutions, the audit trail) take a person's token instead, and the person's role must grant the
 * route's {@link Permission}: {@code 401} without a live token, {@code 403} naming what the role
 * lacks. Every failed authentication is counted, and written to the audit trail with its source
 * address while that address is not being slowed down ({@link Staff#authenticationFailed}).
 *
 * <p>HTTPS when started with a {@link ServerTls} (TLS 1.2 and 1.3 only, on the same port; a plain
 * HTTP request to it gets no reply), else plain HTTP. Which addresses may serve plain HTTP is the
 * caller's decision.
 */
public final class ApiServer implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** How long a request's body may take to arrive, by default. */
    public static final java.time.Duration DEFAULT_BODY_READ_TIMEOUT =
            java.time.Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

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

        /**
         * A ledger command decided by a person in the console rather than through a merchant's key:
         * audited under {@code person:<name>}, with the person as the analyst.
         */
        default CompletableFuture<HttpReply> commandBy(
                String person,
                String merchantId,
                String paymentId,
                String action,
                String idempotencyKey,
                byte[] body) {
            throw new UnsupportedOperationException("commands by a person are not served here");
        }

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
     * The people who operate the platform, as the HTTP routes meet them: a person's token, the
     * audit trail (only administrators read it), and where failed authentications are recorded.
     */
    public interface Staff {
        /** The person a token belongs to; empty for an unknown, expired or revoked token. */
        Optional<Person> personFor(String token);

        /** Events of the audit trail, newest first. */
        AuditTrail.Page audit(AuditTrail.Query query);

        /**
         * Records a failed authentication in the audit trail, without waiting for it.
         *
         * @param from the source address
         * @param reason missing, unknown, expired, revoked, scope, role
         * @param credential what the request presented, never a secret: a key or token id, a
         *     person's name, or empty
         */
        void authenticationFailed(String from, String reason, String credential);

        /** Merchants and their keys, as administrators manage them. */
        MerchantAdmin merchants();

        /** The people. */
        People people();

        /**
         * Writes a change to the audit trail and waits until the broker has it.
         *
         * @throws Exception when it could not be written; the caller does not confirm the change
         */
        void record(String actor, String action, String subject, Map<String, String> details)
                throws Exception;
    }

    /**
     * The operators' side of the platform: block and allow lists. Reached by a person whose role
     * may change the lists, never by a merchant's key; every change is audited by the
     * implementation under the person's name.
     */
    public interface Operations {
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
        /** The checks readiness depends on, by name: all must pass for a 200. */
        Map<String, Boolean> checks();

        /**
         * What {@code /health} shows beside the checks without making the API unready, by name
         * (each provider's settlement fetch: a report late by a day is an alert, not a reason to
         * take the API out of its load balancer).
         */
        default Map<String, Object> details() {
            return Map.of();
        }
    }

    /**
     * Set while a request runs on the server's dispatcher thread because every server thread is
     * busy and the queue in front of them is full: such a request is refused at once.
     */
    private static final ThreadLocal<Boolean> SHEDDING = ThreadLocal.withInitial(() -> false);

    /** Requests waiting for a server thread, at most, before new ones are refused. */
    private static final int MAX_QUEUED = 256;

    /**
     * The span of each request being worked on while tracing is on, until its reply is sent (not an
     * exchange attribute: the JDK's server keeps those in the context, shared by every exchange,
     * and refuses null).
     */
    private static final Map<HttpExchange, Span> SPANS = new ConcurrentHashMap<>();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Admission admission;
    private final Map<String, io.micrometer.core.instrument.Counter> shedCounters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final PrometheusMeterRegistry metrics;
    private final Callers callers;
    private final BodyReader bodies = new BodyReader(DEFAULT_BODY_READ_TIMEOUT);

    /** One handler per resource; a request goes to the one that owns its path. */
    private final java.util.List<Resource> resources =
            new java.util.concurrent.CopyOnWriteArrayList<>();

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
            Staff staff,
            Admission admission) {
        this.server = server;
        this.executor = executor;
        this.admission = admission;
        this.metrics = metrics;
        this.callers =
                new Callers(
                        authenticator,
                        staff,
                        new FailedAuthentications(
                                FailedAuthentications.DEFAULT_PER_MINUTE, System::nanoTime),
                        metrics);
        resources.add(new HealthResource(health, metrics));
        resources.add(new PaymentsResource(payments, () -> lifecycle, callers));
        resources.add(new ReviewsResource(() -> lifecycle, callers));
        resources.add(new BalancesResource(() -> lifecycle, callers));
        resources.add(new ProviderNoticesResource(() -> lifecycle, callers));
        resources.add(new WebhooksResource(() -> webhooks, callers));
        resources.add(new ReconciliationResource(() -> reconciliation, callers));
        if (operations != null && staff != null) {
            resources.add(new ListsResource(operations, callers));
        }
        if (staff != null) {
            resources.add(new AuditResource(staff, callers));
            resources.add(new AdminResource(staff, callers));
        }
        // exported from the start, so that an alert on the rate of refusals has a series to read
        shedCounter("queue_full");
        shedCounter("in_flight");
    }

    /**
     * Starts serving.
     *
     * @param address where to listen (port 0 picks a free one)
     * @param tls the certificate and key to serve HTTPS with, or null for plain HTTP
     * @param threads server threads (they parse and validate; they never wait on Kafka)
     * @param operations the operators' endpoints ({@code /v1/lists}), or null for none
     * @param staff the people who may use operator routes, or null for no operator routes
     * @param maxInFlight payments and money movements worked on at once, at most; more are refused
     *     with 503
     * @param latencyTarget the mean latency the bound adapts to keep accepted requests at (zero: a
     *     fixed bound of {@code maxInFlight})
     */
    public static ApiServer start(
            InetSocketAddress address,
            ServerTls tls,
            int threads,
            Payments payments,
            Authenticator authenticator,
            Health health,
            PrometheusMeterRegistry metrics,
            Operations operations,
            Staff staff,
            int maxInFlight,
            java.time.Duration latencyTarget)
            throws IOException {
        configureJdkServer();
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, 1024);
        } else {
            HttpsServer https = HttpsServer.create(address, 1024);
            https.setHttpsConfigurator(tls.configurator());
            server = https;
        }
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
                        staff,
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

    /** Serves a resource of another part (the analysts' console) from now on. */
    public void serve(Resource resource) {
        resources.add(resource);
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

    /** Whether this server speaks HTTPS. */
    public boolean https() {
        return server instanceof HttpsServer;
    }

    /** Whether a request starts work the platform must bound: a payment or a money movement. */
    static boolean startsWork(String method, String path) {
        if (!method.equals("POST")) {
            return false;
        }
        return path.equals(PaymentsResource.PATH)
                || path.startsWith(PaymentsResource.PATH + "/")
                || path.startsWith(ReviewsResource.PATH + "/")
                || path.equals(ProviderNoticesResource.PATH);
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

    /**
     * Every request gets an id ({@code Request-Id}: the client's own when it is a plain token of up
     * to 64 characters, else a new one), answered in the reply's {@code Request-Id} header and kept
     * in the logging context while this thread works on it, so the records it produces carry it on
     * ({@link RequestIds}).
     */
    private void handle(HttpExchange exchange) throws IOException {
        String requestId = RequestIds.accept(exchange.getRequestHeaders().getFirst("Request-Id"));
        exchange.getResponseHeaders().set("Request-Id", requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        Span span = serverSpan(exchange, requestId);
        try (Scope ignored = span.getSpanContext().isValid() ? span.makeCurrent() : Scope.noop()) {
            handleRequest(exchange, requestId);
        } catch (IOException | RuntimeException e) {
            // no reply will be sent (send ends the span otherwise)
            Span unsent = SPANS.remove(exchange);
            if (unsent != null) {
                unsent.recordException(e);
                unsent.setStatus(StatusCode.ERROR);
                unsent.end();
            }
            throw e;
        } finally {
            RequestIds.clear(); // and the merchant and payment the request named
        }
    }

    /**
     * With tracing on, the span of this request (continuing the caller's trace when it sent a
     * {@code traceparent}), kept with the exchange until {@link #send} ends it; else a no-op span.
     */
    private static Span serverSpan(HttpExchange exchange, String requestId) {
        Tracing tracing = Tracing.current();
        if (!tracing.enabled()) {
            return Span.getInvalid();
        }
        String method = exchange.getRequestMethod();
        Span span =
                tracing.span(method, SpanKind.SERVER)
                        .setParent(
                                tracing.fromTraceparent(
                                        exchange.getRequestHeaders().getFirst(Tracing.HEADER)))
                        .setAttribute("http.request.method", method)
                        .setAttribute("url.path", exchange.getRequestURI().getPath())
                        .setAttribute("fraud.request_id", requestId)
                        .startSpan();
        SPANS.put(exchange, span);
        return span;
    }

    private void handleRequest(HttpExchange exchange, String requestId) throws IOException {
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
            byte[] body;
            try {
                body = prefetchBody(exchange);
            } catch (IOException e) {
                // the JDK's server closes the connection: no reply can reach such a client
                if (admitted) {
                    admission.leave(System.nanoTime() - started);
                }
                if (e instanceof BodyReader.SlowBodyException) {
                    callers.count(
                            "http_slow_bodies", "Requests whose body did not arrive in time", "");
                }
                throw e;
            }
            String query = exchange.getRequestURI().getQuery();
            Resource owner = null;
            if (carriesNul(
                    path, query, body, exchange.getRequestHeaders().getFirst("Content-Type"))) {
                reply =
                        Requests.done(
                                HttpReply.problem(
                                        Problem.of(
                                                400,
                                                "invalid-characters",
                                                "Invalid characters in the request",
                                                "The path, query string or body contains a"
                                                        + " NUL character (%00, \\u0000), which"
                                                        + " no field accepts")));
                route = "invalid";
            } else {
                for (Resource r : resources) {
                    if (r.owns(path)) {
                        owner = r;
                        break;
                    }
                }
                if (owner == null) {
                    reply = Requests.done(Requests.notFound(path));
                } else {
                    Resource.Routed routed = owner.handle(exchange, method, path);
                    route = routed.route();
                    reply = routed.reply();
                }
            }
        } catch (RuntimeException e) {
            log.error("request failed", e);
            reply = Requests.done(HttpReply.problem(Problem.internal()));
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
                        log.error("request {} failed", requestId, failure);
                        out = HttpReply.problem(Problem.internal());
                    }
                    Span span = SPANS.get(exchange);
                    if (span != null) {
                        span.updateName(exchange.getRequestMethod() + " " + finalRoute);
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

    /**
     * Reads the request's body before anything else, within the body read timeout, and puts it in
     * place of the socket's stream: a handler never blocks on a client, and nothing is left to
     * drain when the exchange closes. A body larger than {@link #MAX_BODY_BYTES} is discarded
     * (within the same timeout) past that size; the handler then answers 413.
     */
    /** Reads the body before the handler runs and returns it (empty without one). */
    private byte[] prefetchBody(HttpExchange exchange) throws IOException {
        var headers = exchange.getRequestHeaders();
        String length = headers.getFirst("Content-Length");
        long expected;
        if (length != null) {
            expected = Long.parseLong(length.trim());
        } else {
            expected = headers.containsKey("Transfer-Encoding") ? -1 : 0;
        }
        if (expected == 0) {
            return new byte[0];
        }
        InputStream socket = exchange.getRequestBody();
        byte[] body = bodies.read(socket, MAX_BODY_BYTES + 1, expected);
        if (body.length > MAX_BODY_BYTES) {
            bodies.discard(socket);
        }
        exchange.setStreams(new ByteArrayInputStream(body), null);
        return body;
    }

    /**
     * Whether the path, query or body carries a NUL character: no identifier, filter, cursor or
     * text of the API holds one, and PostgreSQL refuses it in text, so it is refused at the edge
     * rather than failing a projection later. In a body: a zero byte, JSON's escape {@code
     * \\u0000}, or {@code %00} in a form.
     */
    static boolean carriesNul(String path, String query, byte[] body, String contentType) {
        if (path.indexOf('\0') >= 0 || (query != null && query.indexOf('\0') >= 0)) {
            return true;
        }
        boolean form =
                contentType != null
                        && contentType
                                .toLowerCase(java.util.Locale.ROOT)
                                .startsWith("application/x-www-form-urlencoded");
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == 0) {
                return true;
            }
            if (b == '\\') {
                if (i + 5 < body.length
                        && body[i + 1] == 'u'
                        && body[i + 2] == '0'
                        && body[i + 3] == '0'
                        && body[i + 4] == '0'
                        && body[i + 5] == '0') {
                    return true;
                }
                i++; // the escaped character: an escaped backslash starts no escape
            } else if (form
                    && b == '%'
                    && i + 2 < body.length
                    && body[i + 1] == '0'
                    && body[i + 2] == '0') {
                return true;
            }
        }
        return false;
    }

    private static void send(HttpExchange exchange, HttpReply reply) {
        Span span = SPANS.isEmpty() ? null : SPANS.remove(exchange); // ended once
        if (span != null) {
            span.setAttribute("http.response.status_code", reply.status());
            if (reply.status() >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
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
