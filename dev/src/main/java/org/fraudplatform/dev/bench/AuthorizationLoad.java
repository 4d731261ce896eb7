package org.fraudplatform.dev.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop authorization load: requests are planned at a fixed rate and each latency counts from
 * its planned send time, so a stalled server shows up in the percentiles instead of slowing the
 * generator down (no coordinated omission). Cards are Luhn-valid test numbers spread over a pool.
 */
public final class AuthorizationLoad {

    /** The outcome of a request that got no answer: {@code error:<exception>}. */
    private static final String ERROR_PREFIX = "error:";

    private final URI endpoint;
    private final String apiKey;
    private final int rate;
    private final int concurrency;
    private final String[] cards;
    private final Random random = new Random(42);
    private final java.net.http.HttpClient ordinaryClient;

    /** Which HTTP client sends the load. */
    public enum Client {
        /** A fixed pool of blocking keep-alive connections (cheap; the default). */
        KEEPALIVE,
        /**
         * The JDK's {@code HttpClient} (HTTP/1.1, its own connection pool, no retries of a POST):
         * what an ordinary merchant integration sees, dropped connections included.
         */
        JDK
    }

    public AuthorizationLoad(
            String baseUrl, String apiKey, int rate, int concurrency, int cardCount) {
        this(baseUrl, apiKey, rate, concurrency, cardCount, Client.KEEPALIVE);
    }

    public AuthorizationLoad(
            String baseUrl,
            String apiKey,
            int rate,
            int concurrency,
            int cardCount,
            Client client) {
        if (rate < 1 || concurrency < 1 || cardCount < 1) {
            throw new IllegalArgumentException("rate, concurrency and cards must be positive");
        }
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/payments");
        this.apiKey = apiKey;
        this.rate = rate;
        this.concurrency = concurrency;
        this.cards = new String[cardCount];
        for (int i = 0; i < cardCount; i++) {
            cards[i] =
                    org.fraudplatform.api.validation.CardNumbers.withCheckDigit(
                            String.format("424242%09d", i));
        }
        this.ordinaryClient =
                client == Client.JDK
                        ? java.net.http.HttpClient.newBuilder()
                                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                                .connectTimeout(java.time.Duration.ofSeconds(10))
                                .build()
                        : null;
    }

    /** One planned request: where and what. */
    private record Request(String path, String body) {}

    private final java.util.Queue<String> authorized =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Ids of the payments the last runs authorized (manual capture: waiting for a capture), in
     * completion order; {@link #commands} takes them from here.
     */
    public List<String> authorizedPayments() {
        return List.copyOf(authorized);
    }

    /** Sends {@code count} authorizations; prints progress every second when {@code out} is set. */
    public LatencyReport run(int count, PrintStream out) throws InterruptedException {
        return runPlanned(count, i -> new Request(endpoint.getPath(), body()), out);
    }

    /**
     * Sends one ledger command ({@code capture}, {@code refunds}, …) with {@code body} for each of
     * {@code paymentIds}, at the load's rate.
     */
    public LatencyReport commands(
            List<String> paymentIds, String action, String body, PrintStream out)
            throws InterruptedException {
        return runPlanned(
                paymentIds.size(),
                i -> new Request(endpoint.getPath() + "/" + paymentIds.get(i) + "/" + action, body),
                out);
    }

    private LatencyReport runPlanned(
            int count, java.util.function.IntFunction<Request> requests, PrintStream out)
            throws InterruptedException {
        Run run = new Run(count);
        BlockingQueue<long[]> planned = new LinkedBlockingQueue<>();
        // the JDK client: one thread hands every request to it; otherwise a thread per connection
        Thread[] workers = new Thread[ordinaryClient == null ? concurrency : 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] =
                    ordinaryClient == null
                            ? new Thread(
                                    () -> sendLoop(planned, requests, run), "bench-connection-" + w)
                            : new Thread(
                                    () -> sendAsyncLoop(planned, requests, run),
                                    "bench-ordinary-client");
            workers[w].setDaemon(true);
            workers[w].start();
        }
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long lastProgress = start;
        try {
            for (int i = 0; i < count; i++) {
                long plannedAt = start + i * intervalNanos;
                long wait;
                while ((wait = plannedAt - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (out != null && System.nanoTime() - lastProgress > 1_000_000_000L) {
                    lastProgress = System.nanoTime();
                    out.printf("  sent %d/%d, completed %d%n", i, count, run.done.get());
                }
                planned.add(new long[] {i, plannedAt});
            }
            if (!run.finished.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("requests still in flight after 5 minutes");
            }
        } finally {
            for (Thread worker : workers) {
                worker.interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LatencyReport(run.latencies, seconds, run.outcomes, run.refused, run.failed);
    }

    private void sendLoop(
            BlockingQueue<long[]> planned,
            java.util.function.IntFunction<Request> requests,
            Run run) {
        try (KeepAliveConnection connection = new KeepAliveConnection(endpoint)) {
            while (true) {
                long[] job = planned.take();
                String outcome;
                try {
                    Request request = requests.apply((int) job[0]);
                    KeepAliveConnection.Response response =
                            connection.post(request.path(), headers(), request.body());
                    outcome = answered(request, response.status(), response.body());
                } catch (IOException | RuntimeException e) {
                    connection.close();
                    outcome = ERROR_PREFIX + e.getClass().getSimpleName();
                }
                run.done(job, outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends each planned request through the JDK client without waiting for the previous one: the
     * client opens as many connections as requests are in flight, as a merchant's would.
     */
    private void sendAsyncLoop(
            BlockingQueue<long[]> planned,
            java.util.function.IntFunction<Request> requests,
            Run run) {
        try {
            while (true) {
                long[] job = planned.take();
                Request request = requests.apply((int) job[0]);
                var builder =
                        java.net.http.HttpRequest.newBuilder(endpoint.resolve(request.path()))
                                .timeout(java.time.Duration.ofSeconds(30))
                                .POST(
                                        java.net.http.HttpRequest.BodyPublishers.ofString(
                                                request.body()));
                headers().forEach(builder::header);
                ordinaryClient
                        .sendAsync(
                                builder.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                        .whenComplete(
                                (response, failure) -> {
                                    Throwable cause =
                                            failure == null || failure.getCause() == null
                                                    ? failure
                                                    : failure.getCause();
                                    String outcome =
                                            cause != null
                                                    ? ERROR_PREFIX
                                                            + cause.getClass().getSimpleName()
                                                    : answered(
                                                            request,
                                                            response.statusCode(),
                                                            response.body());
                                    run.done(job, outcome);
                                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The outcome of an answered request; an authorization's id is kept for the commands. */
    private String answered(Request request, int statusCode, String body) {
        String status = status(body);
        if (request.path().equals(endpoint.getPath()) && status.equals("authorized")) {
            authorized.add(id(body));
        }
        return statusCode + ":" + status;
    }

    /** What one run has measured so far, written by whichever thread sees a request end. */
    private static final class Run {
        final long[] latencies;

        /** Per request: refused at capacity (503), so accepted and refused are told apart. */
        final boolean[] refused;

        /** Per request: no answer at all (connection error, timeout). */
        final boolean[] failed;

        final Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        final AtomicInteger done = new AtomicInteger();
        final CountDownLatch finished;

        Run(int count) {
            latencies = new long[count];
            refused = new boolean[count];
            failed = new boolean[count];
            finished = new CountDownLatch(count);
        }

        /** Records a request's latency from its planned time, and its outcome. */
        void done(long[] job, String outcome) {
            latencies[(int) job[0]] = System.nanoTime() - job[1];
            refused[(int) job[0]] = outcome.startsWith("503:");
            failed[(int) job[0]] = outcome.startsWith(ERROR_PREFIX);
            outcomes.merge(outcome, 1, Integer::sum);
            done.incrementAndGet();
            finished.countDown();
        }
    }

    private Map<String, String> headers() {
        return Map.of(
                "Authorization",
                "Bearer " + apiKey,
                "Idempotency-Key",
                UUID.randomUUID().toString(),
                "Content-Type",
                "application/json");
    }

    private String body() {
        String card;
        synchronized (random) {
            card = cards[random.nextInt(cards.length)];
        }
        return "{\"amount\":"
                + (500 + (Math.abs(card.hashCode()) % 20_000))
                + ",\"currency\":\"EUR\",\"payment_method\":{\"type\":\"card\",\"card\":"
                + "{\"number\":\""
                + card
                + "\",\"exp_month\":12,\"exp_year\":2035,\"cvc\":\"123\"}},"
                // one customer per card: a single customer paying 500 times a second is no
                // real traffic (the merchant, one for the whole run, is the hot key)
                + "\"customer\":{\"id\":\"bench-customer-"
                + card.substring(card.length() - 6)
                + "\",\"country\":\"DE\"},"
                + "\"capture_method\":\"manual\"}";
    }

    private static String id(String body) {
        int i = body.indexOf("\"id\":\"");
        int to = body.indexOf('"', i + 6);
        return body.substring(i + 6, to);
    }

    private static String status(String body) {
        int i = body.indexOf("\"status\":\"");
        if (i < 0) {
            // a problem: its type's last part (overloaded, invalid-request, …)
            int t = body.indexOf("\"type\":\"/problems/");
            int to = t < 0 ? -1 : body.indexOf('"', t + 18);
            return to < 0 ? "?" : body.substring(t + 18, to);
        }
        int from = i + 10;
        int to = body.indexOf('"', from);
        return to < 0 ? "?" : body.substring(from, to);
    }
}
