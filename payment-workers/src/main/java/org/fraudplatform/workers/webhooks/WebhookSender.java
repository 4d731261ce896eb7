package org.fraudplatform.workers.webhooks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.topics.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued webhooks: takes the due deliveries from PostgreSQL ({@link WebhookStore#claim},
 * leased so that several API instances share the work and a crashed one's are taken over), POSTs
 * each body with its {@link WebhookSignature} to the endpoint, and records the outcome: a 2xx is
 * delivered; anything else (an error status, a timeout, a refused connection) is tried again after
 * a growing pause with jitter ({@link WebhookSettings}); after the last attempt the delivery fails
 * and goes to {@code webhooks.dlq} with the last reason. A failed delivery can be sent again
 * ({@link WebhookStore#resend}). Endpoints are read at most once a second per endpoint, so a
 * removed endpoint may still get what was due within that second.
 *
 * <p>Every attempt checks the endpoint's URL again with {@link WebhookDestinations} (resolving its
 * host anew) and connects to the address it checked, never to a second lookup's answer ({@link
 * PinnedPost}): a name that now resolves to a loopback, private, link-local or metadata address is
 * not connected to; the attempt fails with the reason ({@code not sent: …}) and takes the same path
 * as any failed attempt (retried, then failed and dead-lettered).
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final int IN_FLIGHT = 32;
    private static final Duration ENDPOINT_CACHE = Duration.ofSeconds(1);

    private final WebhookStore store;
    private final WebhookSettings settings;
    private final Producer<byte[], DeadLetter> deadLetters;
    private final Topic<byte[], DeadLetter> deadLetterTopic;
    private final Clock clock;
    private final WebhookDestinations destinations;
    private final PinnedPost http;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Semaphore slots = new Semaphore(IN_FLIGHT);
    private final SplittableRandom random = new SplittableRandom();

    /** Endpoints read within the last second, so a busy endpoint costs no query per delivery. */
    private final Map<String, CachedEndpoint> endpoints =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Closing: exchanges cut short are not recorded as failed attempts. */
    private volatile boolean stopping;

    /** The last claim took all it could: more may be due as soon as slots free. */
    private volatile boolean backlog;

    /** Deliveries the endpoints took, recorded in one statement before the next claim. */
    private final java.util.concurrent.ConcurrentLinkedQueue<WebhookStore.Delivered> delivered =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record CachedEndpoint(Optional<WebhookStore.Endpoint> endpoint, long readAtNanos) {}

    /** A sender that trusts the certificates the JVM trusts. */
    public WebhookSender(
            WebhookStore store,
            WebhookSettings settings,
            WebhookDestinations destinations,
            Producer<byte[], DeadLetter> deadLetters,
            Topic<byte[], DeadLetter> deadLetterTopic,
            Clock clock) {
        this(
                store,
                settings,
                destinations,
                (SSLSocketFactory) SSLSocketFactory.getDefault(),
                deadLetters,
                deadLetterTopic,
                clock);
    }

    /**
     * @param destinations where deliveries may go, checked on every attempt
     * @param tls makes the TLS connections, so decides which certificates are trusted
     */
    public WebhookSender(
            WebhookStore store,
            WebhookSettings settings,
            WebhookDestinations destinations,
            SSLSocketFactory tls,
            Producer<byte[], DeadLetter> deadLetters,
            Topic<byte[], DeadLetter> deadLetterTopic,
            Clock clock) {
        this.store = store;
        this.settings = settings;
        this.destinations = destinations;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
        this.clock = clock;
        this.http = new PinnedPost(tls);
        AtomicInteger n = new AtomicInteger();
        this.scheduler =
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-claims", n));
        this.workers = Executors.newFixedThreadPool(IN_FLIGHT, r -> daemon(r, "webhook-sender", n));
    }

    private static Thread daemon(Runnable r, String name, AtomicInteger n) {
        Thread t = new Thread(r, name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** Checks for due deliveries every {@code every}. */
    public void start(Duration every) {
        scheduler.scheduleWithFixedDelay(
                this::claimSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Looks for due deliveries now (new ones were queued), not only at the next scan. */
    public void wake() {
        try {
            scheduler.execute(this::claimSafely);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void claimSafely() {
        try {
            flushDelivered();
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            List<WebhookStore.Delivery> due =
                    store.claim(free, clock.instant(), settings.timeout().multipliedBy(3));
            backlog = due.size() == free;
            for (WebhookStore.Delivery d : due) {
                slots.acquireUninterruptibly();
                workers.execute(
                        () -> {
                            try {
                                attempt(d);
                            } catch (RuntimeException e) {
                                log.error("webhook delivery {} failed unexpectedly", d.id(), e);
                            } finally {
                                slots.release();
                                if (backlog && slots.availablePermits() >= IN_FLIGHT / 2) {
                                    wake(); // refill half the slots at once while work is due
                                }
                            }
                        });
            }
        } catch (RuntimeException e) {
            log.warn("cannot claim webhook deliveries (retrying): {}", e.getMessage());
        }
    }

    /** One attempt of one delivery, and its outcome recorded. */
    void attempt(WebhookStore.Delivery d) {
        Optional<WebhookStore.Endpoint> endpoint = endpoint(d.endpointId());
        int attempt = d.attempts() + 1;
        if (endpoint.isEmpty() || !endpoint.get().enabled()) {
            fail(d, attempt, null, "the endpoint was removed");
            return;
        }
        WebhookDestinations.Destination to;
        try {
            to = destinations.check(endpoint.get().url());
        } catch (WebhookDestinations.Refused e) {
            failedAttempt(d, attempt, null, "not sent: " + e.getMessage());
            return;
        }
        byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "fraud-platform-webhooks/1");
        headers.put("Fraud-Event-Id", d.eventId());
        headers.put("Fraud-Delivery-Id", d.id());
        headers.put(
                WebhookSignature.HEADER, WebhookSignature.sign(endpoint.get().secret(), now, body));
        Integer status = null;
        String error;
        try {
            status = http.post(to, headers, body, settings.timeout());
            if (status >= 200 && status < 300) {
                // recorded with the next claim; a crash before that re-sends it after the lease
                // (receivers de-duplicate on Fraud-Delivery-Id)
                delivered.add(new WebhookStore.Delivered(d.id(), attempt, status, clock.instant()));
                DomainMetrics.webhookAttempt(DomainMetrics.WebhookOutcome.DELIVERED);
                if (delivered.size() >= IN_FLIGHT) {
                    wake();
                }
                return;
            }
            error = "the endpoint answered " + status;
        } catch (java.io.IOException e) {
            if (stopping) {
                return; // the lease runs out and the delivery is tried again
            }
            error =
                    e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        failedAttempt(d, attempt, status, error);
    }

    /** An attempt that failed: tried again after a pause, or, after the last, failed for good. */
    private void failedAttempt(WebhookStore.Delivery d, int attempt, Integer status, String error) {
        if (attempt >= settings.attempts()) {
            fail(d, attempt, status, error);
        } else {
            Duration pause;
            synchronized (random) {
                pause = settings.pauseAfter(attempt, random);
            }
            store.retryLater(d.id(), attempt, status, error, clock.instant().plus(pause));
            DomainMetrics.webhookAttempt(DomainMetrics.WebhookOutcome.RETRIED);
        }
    }

    private Optional<WebhookStore.Endpoint> endpoint(String id) {
        CachedEndpoint c = endpoints.get(id);
        if (c == null || System.nanoTime() - c.readAtNanos() > ENDPOINT_CACHE.toNanos()) {
            c = new CachedEndpoint(store.endpoint(id), System.nanoTime());
            endpoints.put(id, c);
        }
        return c.endpoint();
    }

    private void fail(WebhookStore.Delivery d, int attempt, Integer status, String error) {
        store.failed(d.id(), attempt, status, error);
        Map<String, ByteBuffer> headers = new HashMap<>();
        headers.put(
                "endpoint_id", ByteBuffer.wrap(d.endpointId().getBytes(StandardCharsets.UTF_8)));
        headers.put(
                "merchant_id", ByteBuffer.wrap(d.merchantId().getBytes(StandardCharsets.UTF_8)));
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setTopic("webhook:" + d.eventType())
                        .setPartition(-1)
                        .setOffset(attempt)
                        .setKey(ByteBuffer.wrap(d.id().getBytes(StandardCharsets.UTF_8)))
                        .setValue(ByteBuffer.wrap(d.payload().getBytes(StandardCharsets.UTF_8)))
                        .setHeaders(headers)
                        .setProcessor("webhook-sender")
                        .setError(
                                "failed after "
                                        + attempt
                                        + " attempt(s): "
                                        + (error == null ? "unknown" : error))
                        .setFailedAt(clock.instant())
                        .build();
        deadLetters.send(
                new ProducerRecord<>(
                        deadLetterTopic.name(), d.id().getBytes(StandardCharsets.UTF_8), letter));
        DomainMetrics.deadLettered(letter);
        DomainMetrics.webhookAttempt(DomainMetrics.WebhookOutcome.FAILED);
        log.warn("webhook delivery {} failed after {} attempt(s): {}", d.id(), attempt, error);
    }

    private void flushDelivered() {
        List<WebhookStore.Delivered> batch = new java.util.ArrayList<>();
        for (WebhookStore.Delivered d; (d = delivered.poll()) != null; ) {
            batch.add(d);
        }
        try {
            store.delivered(batch);
        } catch (RuntimeException e) {
            delivered.addAll(batch); // the database is away: record them with the next claim
            throw e;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        scheduler.shutdownNow();
        workers.shutdownNow();
        http.close(); // the exchanges in progress end now
        workers.awaitTermination(10, TimeUnit.SECONDS);
        try {
            flushDelivered();
        } catch (RuntimeException e) {
            log.warn("could not record {} deliveries; they are sent again", delivered.size());
        }
    }
}
