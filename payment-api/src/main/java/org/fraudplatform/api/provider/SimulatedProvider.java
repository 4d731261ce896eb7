package org.fraudplatform.api.provider;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A payment provider that behaves like one, for the embedded platform and tests: it answers after a
 * log-normally distributed latency, declines and fails the documented test cards, never answers for
 * the timeout card (the caller sees {@code UNKNOWN}), and settles bank transfers asynchronously
 * ({@code PENDING}).
 *
 * <table>
 *   <caption>Test cards (any expiry in the future, any CVC)</caption>
 *   <tr><th>number</th><th>outcome</th></tr>
 *   <tr><td>4000 0000 0000 0002</td><td>declined, {@code generic_decline}</td></tr>
 *   <tr><td>4000 0000 0000 9995</td><td>declined, {@code insufficient_funds}</td></tr>
 *   <tr><td>4000 0000 0000 9979</td><td>declined, {@code stolen_card}</td></tr>
 *   <tr><td>4000 0000 0000 0119</td><td>error, {@code processing_error}</td></tr>
 *   <tr><td>4000 0000 0000 0051</td><td>no answer: the call times out, outcome {@code UNKNOWN}</td></tr>
 *   <tr><td>4000 0000 0000 0077</td><td>approved after a slow answer (2 s)</td></tr>
 *   <tr><td>any other valid number</td><td>approved</td></tr>
 * </table>
 */
public final class SimulatedProvider implements PaymentProvider, AutoCloseable {

    /** Card numbers with a documented outcome. */
    public static final String DECLINE_GENERIC = "4000000000000002";

    public static final String DECLINE_INSUFFICIENT_FUNDS = "4000000000009995";
    public static final String DECLINE_STOLEN = "4000000000009979";
    public static final String PROCESSING_ERROR = "4000000000000119";
    public static final String TIMEOUT = "4000000000000051";
    public static final String SLOW_APPROVE = "4000000000000077";

    private static final Map<String, String[]> DECLINES =
            Map.of(
                    DECLINE_GENERIC, new String[] {"generic_decline", "The card was declined"},
                    DECLINE_INSUFFICIENT_FUNDS,
                            new String[] {"insufficient_funds", "The card has insufficient funds"},
                    DECLINE_STOLEN, new String[] {"stolen_card", "The card is reported stolen"});

    private final String name;
    private final Duration medianLatency;
    private final double latencySigma;
    private final Duration callTimeout;
    private final Duration slowLatency;
    private final ScheduledExecutorService scheduler;
    private final Random random;

    /**
     * @param name instance name, recorded on ledger events
     * @param medianLatency median answer time
     * @param latencySigma log-normal shape; 0 gives a constant latency
     * @param callTimeout after this a call completes as {@code UNKNOWN}
     * @param seed random seed of the latency draws
     */
    public SimulatedProvider(
            String name,
            Duration medianLatency,
            double latencySigma,
            Duration callTimeout,
            long seed) {
        this.name = Objects.requireNonNull(name);
        this.medianLatency = Objects.requireNonNull(medianLatency);
        this.latencySigma = latencySigma;
        this.callTimeout = Objects.requireNonNull(callTimeout);
        this.slowLatency = Duration.ofSeconds(2);
        this.random = new Random(seed);
        this.scheduler =
                Executors.newScheduledThreadPool(
                        1,
                        r -> {
                            Thread t = new Thread(r, "provider-" + name);
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<ProviderResult> authorize(AuthorizationCall call) {
        ProviderResult result;
        Duration latency = nextLatency();
        if (call.method() instanceof AuthorizationCall.CardMethod card) {
            String number = card.number();
            String[] decline = DECLINES.get(number);
            if (decline != null) {
                result = ProviderResult.declined(name, reference(), decline[0], decline[1]);
            } else if (PROCESSING_ERROR.equals(number)) {
                result =
                        ProviderResult.error(
                                name,
                                "processing_error",
                                "The provider failed to process the card");
            } else if (TIMEOUT.equals(number)) {
                return answerAfter(
                        callTimeout,
                        ProviderResult.unknown(name, "no answer within " + callTimeout));
            } else if (SLOW_APPROVE.equals(number)) {
                latency = slowLatency;
                result = ProviderResult.approved(name, reference());
            } else {
                result = ProviderResult.approved(name, reference());
            }
        } else if (call.method() instanceof AuthorizationCall.BankTransferMethod) {
            result = ProviderResult.pending(name, reference());
        } else {
            result = ProviderResult.approved(name, reference());
        }
        if (latency.compareTo(callTimeout) >= 0) {
            return answerAfter(
                    callTimeout, ProviderResult.unknown(name, "no answer within " + callTimeout));
        }
        return answerAfter(latency, result);
    }

    @Override
    public CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency) {
        if (authorizationReference == null || amount <= 0) {
            return answerAfter(
                    Duration.ZERO,
                    ProviderResult.error(name, "invalid_capture", "nothing to capture"));
        }
        return answerAfter(nextLatency(), ProviderResult.approved(name, reference()));
    }

    private CompletableFuture<ProviderResult> answerAfter(Duration delay, ProviderResult result) {
        CompletableFuture<ProviderResult> future = new CompletableFuture<>();
        scheduler.schedule(() -> future.complete(result), delay.toNanos(), TimeUnit.NANOSECONDS);
        return future;
    }

    private Duration nextLatency() {
        double gaussian;
        synchronized (random) {
            gaussian = random.nextGaussian();
        }
        double nanos = medianLatency.toNanos() * Math.exp(latencySigma * gaussian);
        return Duration.ofNanos((long) nanos);
    }

    private static String reference() {
        return "sim_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
