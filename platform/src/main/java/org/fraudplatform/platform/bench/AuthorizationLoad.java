package org.fraudplatform.platform.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop authorization load: requests are planned at a fixed rate and each latency counts from
 * its planned send time, so a stalled server shows up in the percentiles instead of slowing the
 * generator down (no coordinated omission). Cards are Luhn-valid test numbers spread over a pool.
 */
public final class AuthorizationLoad {

    private final URI endpoint;
    private final String apiKey;
    private final int rate;
    private final int concurrency;
    private final String[] cards;
    private final HttpClient client;
    private final Random random = new Random(42);

    public AuthorizationLoad(
            String baseUrl, String apiKey, int rate, int concurrency, int cardCount) {
        if (rate < 1 || concurrency < 1 || cardCount < 1) {
            throw new IllegalArgumentException("rate, concurrency and cards must be positive");
        }
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/payments");
        this.apiKey = apiKey;
        this.rate = rate;
        this.concurrency = concurrency;
        this.cards = new String[cardCount];
        for (int i = 0; i < cardCount; i++) {
            cards[i] = luhnComplete(String.format("424242%09d", i));
        }
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    /** Sends {@code count} authorizations; prints progress every second when {@code out} is set. */
    public LatencyReport run(int count, PrintStream out) throws InterruptedException {
        long[] latencies = new long[count];
        AtomicInteger done = new AtomicInteger();
        Map<String, Integer> outcomes = new HashMap<>();
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch finished = new CountDownLatch(count);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long lastProgress = start;
        for (int i = 0; i < count; i++) {
            long planned = start + i * intervalNanos;
            long wait;
            while ((wait = planned - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (out != null && System.nanoTime() - lastProgress > 1_000_000_000L) {
                lastProgress = System.nanoTime();
                out.printf("  sent %d/%d, completed %d%n", i, count, done.get());
            }
            inFlight.acquire();
            int slot = i;
            client.sendAsync(request(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete(
                            (response, failure) -> {
                                latencies[slot] = System.nanoTime() - planned;
                                String outcome =
                                        failure != null
                                                ? "error:" + failure.getClass().getSimpleName()
                                                : response.statusCode()
                                                        + ":"
                                                        + status(response.body());
                                synchronized (outcomes) {
                                    outcomes.merge(outcome, 1, Integer::sum);
                                }
                                done.incrementAndGet();
                                inFlight.release();
                                finished.countDown();
                            });
        }
        if (!finished.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("requests still in flight after 5 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LatencyReport(latencies, seconds, outcomes);
    }

    private HttpRequest request() {
        String card;
        synchronized (random) {
            card = cards[random.nextInt(cards.length)];
        }
        String body =
                "{\"amount\":"
                        + (500 + (Math.abs(card.hashCode()) % 20_000))
                        + ",\"currency\":\"EUR\",\"payment_method\":{\"type\":\"card\",\"card\":"
                        + "{\"number\":\""
                        + card
                        + "\",\"exp_month\":12,\"exp_year\":2035,\"cvc\":\"123\"}},"
                        + "\"customer\":{\"id\":\"bench-customer\",\"country\":\"DE\"},"
                        + "\"capture_method\":\"manual\"}";
        return HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String status(String body) {
        int i = body.indexOf("\"status\":\"");
        if (i < 0) {
            return "?";
        }
        int from = i + 10;
        int to = body.indexOf('"', from);
        return to < 0 ? "?" : body.substring(from, to);
    }

    /** Appends the Luhn check digit to a partial card number. */
    static String luhnComplete(String partial) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = partial.length() - 1; i >= 0; i--) {
            int d = partial.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return partial + ((10 - sum % 10) % 10);
    }
}
