package org.fraudplatform.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.fraudplatform.ledger.Balances;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.providers.JournalEntry;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentEventType;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The books after a fault, checked the way an auditor would: clients that retried every payment
 * with its Idempotency-Key until it was answered ({@link Checkouts}), then
 *
 * <ul>
 *   <li>every key answered with exactly one payment, the one the ledger knows for it;
 *   <li>no payment left pending once the resolver and the orphan sweep had their time;
 *   <li>every authorization and capture in the provider's journal is in the ledger exactly once,
 *       and every one in the ledger is in the journal;
 *   <li>the merchant's balances are the sum of the ledger.
 * </ul>
 */
final class Books {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the books showed, for the test's report line. */
    record Report(
            int keys,
            long captures,
            int takenOver,
            long resolved,
            long orphans,
            Map<String, Long> statuses) {

        @Override
        public String toString() {
            return String.format(
                    "%d keys, %d payments captured; %d keys taken over (their request died before"
                            + " the ledger heard of the payment),"
                            + " %d outcomes resolved from the provider (killed around the call),"
                            + " %d orphans failed; statuses %s",
                    keys, captures, takenOver, resolved, orphans, statuses);
        }
    }

    private Books() {}

    /**
     * @param journal what the provider performed, read anew on each call
     * @param settle how long pending payments may take to resolve
     */
    static Report check(
            String bootstrapServers,
            Topics topics,
            URI api,
            String merchantKey,
            Checkouts checkouts,
            Callable<List<JournalEntry>> journal,
            Duration settle)
            throws Exception {
        assertThat(checkouts.unanswered)
                .as("keys that never got an answer (the last attempt)")
                .isEmpty();
        Set<String> keys = checkouts.keys.keySet();
        Set<String> answered = new HashSet<>(checkouts.keys.values());

        Map<String, String> statuses = awaitNothingPending(api, merchantKey, answered, settle);

        // every key: exactly one payment the ledger knows, the one the client was given
        List<PaymentRequest> requests =
                TopicReader.read(
                        bootstrapServers,
                        topics.paymentRequests(),
                        r -> keys.contains(r.getIdempotencyKey()),
                        keys.size(),
                        Duration.ofSeconds(30));
        List<PaymentEvent> events =
                TopicReader.read(
                        bootstrapServers,
                        topics.paymentEvents(),
                        e -> e.getMerchantId().equals(Platform.DEMO_MERCHANT),
                        keys.size(),
                        Duration.ofSeconds(30));
        Map<String, List<PaymentEvent>> ledger =
                events.stream().collect(Collectors.groupingBy(PaymentEvent::getPaymentId));
        Map<String, Set<String>> paymentsByKey = new HashMap<>();
        Map<String, Integer> attemptsByKey = new HashMap<>();
        for (PaymentRequest r : requests) {
            paymentsByKey
                    .computeIfAbsent(r.getIdempotencyKey(), k -> new HashSet<>())
                    .add(r.getPaymentId());
            attemptsByKey.merge(r.getIdempotencyKey(), 1, Integer::sum);
        }
        int takenOver = 0;
        for (Map.Entry<String, String> a : checkouts.keys.entrySet()) {
            Set<String> requested = paymentsByKey.getOrDefault(a.getKey(), Set.of());
            assertThat(requested.stream().filter(ledger::containsKey).toList())
                    .as("payments of key %s the ledger knows", a.getKey())
                    .containsExactly(a.getValue());
            takenOver += attemptsByKey.getOrDefault(a.getKey(), 1) - 1;
        }

        // the provider's journal and the ledger agree, movement for movement
        Map<String, Long> inLedger = new HashMap<>();
        for (PaymentEvent e : events) {
            if (!answered.contains(e.getPaymentId())) {
                continue;
            }
            if (e.getType() == PaymentEventType.AUTHORIZED) {
                inLedger.merge(e.getPaymentId() + "/authorize", 1L, Long::sum);
            } else if (e.getType() == PaymentEventType.CAPTURED) {
                inLedger.merge(e.getPaymentId() + "/" + e.getOperationId(), 1L, Long::sum);
            }
        }
        long ledgerCaptures = inLedger.keySet().stream().filter(k -> !isAuthorization(k)).count();
        Map<String, Long> atProvider = awaitJournal(journal, answered, ledgerCaptures);
        for (String k : atProvider.keySet()) {
            if (!inLedger.containsKey(k)) {
                System.out.println(
                        "at the provider, not in the ledger: "
                                + k
                                + " "
                                + ledger.get(k.substring(0, k.indexOf('/'))));
            }
        }
        assertThat(inLedger.values()).as("no movement twice in the ledger").allMatch(n -> n == 1);
        assertThat(inLedger.keySet())
                .as("authorizations and captures: ledger = provider journal")
                .containsExactlyInAnyOrderElementsOf(atProvider.keySet());
        assertThat(atProvider.values())
                .as("no movement twice at the provider")
                .allMatch(n -> n == 1);

        // balances are the sum of the ledger
        Balances sum = new Balances();
        events.forEach(sum::apply);
        long captured = sum.of(Platform.DEMO_MERCHANT, "EUR").captured();
        assertThat(awaitCapturedBalance(api, merchantKey, captured)).isEqualTo(captured);

        return new Report(
                keys.size(),
                ledgerCaptures,
                takenOver,
                events.stream().filter(e -> e.getEventId().contains(":resolved:")).count(),
                events.stream().filter(e -> e.getEventId().contains(":orphaned:")).count(),
                statuses.values().stream()
                        .collect(Collectors.groupingBy(s -> s, Collectors.counting())));
    }

    private static boolean isAuthorization(String movement) {
        return movement.endsWith("/authorize");
    }

    /** Waits until none of the payments is pending; returns each one's final status. */
    private static Map<String, String> awaitNothingPending(
            URI api, String merchantKey, Collection<String> payments, Duration settle)
            throws Exception {
        long deadline = System.nanoTime() + settle.toNanos();
        Map<String, String> statuses = new HashMap<>();
        while (true) {
            List<String> pending = new ArrayList<>();
            for (String id : payments) {
                JsonNode p = JSON.readTree(get(api, merchantKey, "/v1/payments/" + id).body());
                statuses.put(id, p.path("status").asText());
                if (p.path("status").asText().equals("pending")) {
                    pending.add(id);
                }
            }
            if (pending.isEmpty()) {
                return statuses;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still pending: " + pending);
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * The provider's approved authorizations and captures of the payments, counted by payment and
     * operation; read again until every capture the ledger holds has reached the provider (the
     * dispatcher sends them after the ledger decided, and after a rebalance when it died).
     */
    private static Map<String, Long> awaitJournal(
            Callable<List<JournalEntry>> journal, Set<String> payments, long ledgerCaptures)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            Map<String, Long> counted = new HashMap<>();
            for (JournalEntry j : journal.call()) {
                if (!payments.contains(j.paymentId())
                        || j.outcome() != ProviderResult.Outcome.APPROVED) {
                    continue;
                }
                if (j.operation() == JournalEntry.Operation.AUTHORIZE) {
                    counted.merge(j.paymentId() + "/authorize", 1L, Long::sum);
                } else if (j.operation() == JournalEntry.Operation.CAPTURE) {
                    counted.merge(j.paymentId() + "/" + j.operationId(), 1L, Long::sum);
                }
            }
            long captures = counted.keySet().stream().filter(k -> !isAuthorization(k)).count();
            if (captures >= ledgerCaptures || System.nanoTime() > deadline) {
                return counted;
            }
            Thread.sleep(500);
        }
    }

    private static long awaitCapturedBalance(URI api, String merchantKey, long expected)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            for (JsonNode b :
                    JSON.readTree(get(api, merchantKey, "/v1/balances").body()).get("data")) {
                if (b.path("currency").asText().equals("EUR")) {
                    seen = b.path("captured").asLong();
                }
            }
            if (seen == expected) {
                break;
            }
            Thread.sleep(500);
        }
        return seen;
    }

    private static HttpResponse<String> get(URI api, String merchantKey, String path)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(api.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + merchantKey)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Checkouts: each authorizes card payments with automatic capture, one after the other, and
     * retries a payment with its Idempotency-Key (connection refused, 503, 409 in progress, 500)
     * until it is answered with a payment.
     */
    static final class Checkouts {
        /** Idempotency key → the payment the client was answered with. */
        final Map<String, String> keys = new ConcurrentHashMap<>();

        final Map<String, String> unanswered = new ConcurrentHashMap<>();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;
        private final int threads;
        private final URI api;
        private final String merchantKey;

        Checkouts(int threads, URI api, String merchantKey) {
            this.threads = threads;
            this.api = api;
            this.merchantKey = merchantKey;
            this.clients = Executors.newFixedThreadPool(threads);
        }

        void start() {
            for (int t = 0; t < threads; t++) {
                int client = t;
                clients.submit(
                        () -> {
                            int n = 0;
                            while (running.get()) {
                                onePayment(client, n++);
                            }
                            return null;
                        });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(180, TimeUnit.SECONDS)).isTrue();
        }

        void awaitAnswered(long n, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (answered.get() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + answered.get() + " payments answered");
                }
                Thread.sleep(100);
            }
        }

        /** Seconds until {@code more} payments were answered after this call. */
        double secondsUntilAnswered(long more, Duration patience) throws InterruptedException {
            long started = System.nanoTime();
            awaitAnswered(answered.get() + more, patience);
            return (System.nanoTime() - started) / 1e9;
        }

        private void onePayment(int client, int n) throws Exception {
            String key = UUID.randomUUID().toString();
            String card = ClusterFailoverIT.cardNumber(client * 100_000 + n);
            String body =
                    """
                    {"amount": %d, "currency": "EUR",
                     "payment_method": {"type": "card",
                       "card": {"number": "%s", "exp_month": 12, "exp_year": 2035, "cvc": "123"}},
                     "customer": {"id": "cus_%d_%d"}, "capture_method": "automatic"}
                    """
                            .formatted(1_000 + n, card, client, n);
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            String last = "no attempt";
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r;
                try {
                    r =
                            HTTP.send(
                                    HttpRequest.newBuilder(api.resolve("/v1/payments"))
                                            .timeout(Duration.ofSeconds(30))
                                            .header("Authorization", "Bearer " + merchantKey)
                                            .header("Idempotency-Key", key)
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    r = null;
                    last = e.toString();
                }
                if (r != null && r.statusCode() == 201) {
                    keys.put(key, JSON.readTree(r.body()).get("id").asText());
                    answered.incrementAndGet();
                    return;
                }
                if (r != null) {
                    last = r.statusCode() + " " + r.body();
                    if (r.statusCode() != 503 && r.statusCode() != 409 && r.statusCode() != 500) {
                        break; // a refusal no retry changes
                    }
                }
                retries.incrementAndGet();
                Thread.sleep(250);
            }
            unanswered.put(key, last);
        }
    }
}
