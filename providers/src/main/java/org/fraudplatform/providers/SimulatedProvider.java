package org.fraudplatform.providers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fraudplatform.providers.JournalEntry.Operation;
import org.fraudplatform.providers.ProviderResult.Outcome;

/**
 * A payment provider that behaves like one, for the embedded platform and tests.
 *
 * <ul>
 *   <li>It answers after a log-normally distributed latency, declines and fails the documented test
 *       cards and settles bank transfers asynchronously ({@code PENDING}).
 *   <li>It is idempotent: the payment id is the key of an authorization, the operation id the key
 *       of a capture, void or refund within its authorization. A repeated call answers with the
 *       first outcome and reference and performs nothing.
 *   <li>An answer later than the call timeout reaches the caller as {@code UNKNOWN}, but the
 *       provider has done the operation, as a real one would; {@link #status} tells what it did.
 *   <li>With a journal folder it appends every operation it performed to a CSV file ({@link
 *       ProviderJournal}) and reloads it at start, so its memory survives a restart of the
 *       platform. No card number goes into the journal.
 *   <li>{@link #setAvailable setAvailable(false)} simulates an outage: every call fails at once
 *       with {@code ERROR provider_unavailable}, and the provider does nothing.
 *   <li>Captures and voids need an approved authorization, refunds a capture; a follow-up on an
 *       unknown reference fails with {@code ERROR unknown_reference}. Refused follow-ups change
 *       nothing and are not journaled.
 * </ul>
 *
 * <table>
 *   <caption>Test cards (any expiry in the future, any CVC)</caption>
 *   <tr><th>number</th><th>outcome</th></tr>
 *   <tr><td>4000 0000 0000 0002</td><td>declined, {@code generic_decline}</td></tr>
 *   <tr><td>4000 0000 0000 9995</td><td>declined, {@code insufficient_funds}</td></tr>
 *   <tr><td>4000 0000 0000 9979</td><td>declined, {@code stolen_card}</td></tr>
 *   <tr><td>4000 0000 0000 0119</td><td>error, {@code processing_error}</td></tr>
 *   <tr><td>4000 0000 0000 0101</td><td>declined, {@code do_not_honor}, with a message that
 *       echoes the card number, as careless providers do; the platform receives it masked ({@link
 *       ProviderResult})</td></tr>
 *   <tr><td>4000 0000 0000 0051</td><td>approved and recorded, but the answer comes after the
 *       call timeout: the caller sees {@code UNKNOWN}; a status query or a repeated authorization
 *       then answers {@code APPROVED} with the reference</td></tr>
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
    public static final String DECLINE_ECHOING_THE_NUMBER = "4000000000000101";

    private static final Map<String, String> DECLINE_CODES =
            Map.of(
                    DECLINE_GENERIC, "generic_decline",
                    DECLINE_INSUFFICIENT_FUNDS, "insufficient_funds",
                    DECLINE_STOLEN, "stolen_card");

    /** Messages by code, so that answers rebuilt from the journal read like the first ones. */
    private static final Map<String, String> MESSAGES =
            Map.of(
                    "generic_decline", "The card was declined",
                    "insufficient_funds", "The card has insufficient funds",
                    "stolen_card", "The card is reported stolen",
                    "processing_error", "The provider failed to process the card",
                    "do_not_honor", "Do not honor: the issuer refused the card");

    private final String name;
    private final Duration medianLatency;
    private final double latencySigma;
    private final Duration callTimeout;
    private final Duration slowLatency;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final java.util.concurrent.ExecutorService deciders;
    private final Random random;
    private final ProviderJournal journalFile;
    private final SharedJournal shared;
    private final java.util.Set<String> seen = new java.util.HashSet<>();

    private final Map<String, Authorization> byPaymentId = new HashMap<>();
    private final Map<String, Authorization> byReference = new HashMap<>();
    private final Map<String, FollowUp> followUps = new HashMap<>();
    private final List<JournalEntry> journal = new ArrayList<>();
    private volatile boolean available = true;

    /**
     * A provider without a journal and with a 2 s slow card.
     *
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
        this(
                new Settings(
                        name,
                        medianLatency,
                        latencySigma,
                        callTimeout,
                        Duration.ofSeconds(2),
                        seed,
                        null,
                        Clock.systemUTC()));
    }

    /**
     * A provider that reloads its journal, if it has one, before it answers anything.
     *
     * @throws UncheckedIOException if the journal cannot be read or opened
     */
    public SimulatedProvider(Settings settings) {
        this(settings, null);
    }

    /**
     * A provider whose memory other processes running it share: what one did, the others find (see
     * {@link SharedJournal}), which is then the provider's record. Its journal file, if it has one,
     * holds what this process did, written after the shared journal: a kill between the two leaves
     * the file one operation short.
     *
     * @param shared the shared journal, or null when this process is the provider's only one
     */
    public SimulatedProvider(Settings settings, SharedJournal shared) {
        this.shared = shared;
        this.name = settings.name();
        this.medianLatency = settings.medianLatency();
        this.latencySigma = settings.latencySigma();
        this.callTimeout = settings.callTimeout();
        this.slowLatency = settings.slowLatency();
        this.clock = settings.clock();
        this.random = new Random(settings.seed());
        if (settings.journalFolder() == null) {
            this.journalFile = null;
        } else {
            try {
                this.journalFile =
                        ProviderJournal.open(
                                ProviderJournal.file(settings.journalFolder(), settings.name()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            journalFile.loaded().forEach(this::replay);
        }
        this.scheduler =
                Executors.newScheduledThreadPool(
                        1,
                        r -> {
                            Thread t = new Thread(r, "provider-" + name);
                            t.setDaemon(true);
                            return t;
                        });
        // with a shared journal each decision waits for a database commit: decide in parallel
        java.util.concurrent.atomic.AtomicInteger n =
                new java.util.concurrent.atomic.AtomicInteger();
        this.deciders =
                Executors.newFixedThreadPool(
                        shared == null ? 1 : 8,
                        r -> {
                            Thread t =
                                    new Thread(r, "provider-" + name + "-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * How a simulated provider behaves.
     *
     * @param name instance name, recorded on ledger events and naming the journal file
     * @param medianLatency median answer time
     * @param latencySigma log-normal shape; 0 gives a constant latency
     * @param callTimeout after this a call completes as {@code UNKNOWN}
     * @param slowLatency answer time of the slow test card
     * @param seed random seed of the latency draws
     * @param journalFolder where the journal is kept; null keeps everything in memory only
     * @param clock stamps journal lines
     */
    public record Settings(
            String name,
            Duration medianLatency,
            double latencySigma,
            Duration callTimeout,
            Duration slowLatency,
            long seed,
            Path journalFolder,
            Clock clock) {

        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(medianLatency, "medianLatency");
            Objects.requireNonNull(callTimeout, "callTimeout");
            Objects.requireNonNull(slowLatency, "slowLatency");
            Objects.requireNonNull(clock, "clock");
        }

        /**
         * Defaults for a named provider: 50 ms median latency (sigma 0.5), 5 s timeout, 2 s slow
         * card, no journal, the system clock.
         */
        public static Settings of(String name) {
            return new Settings(
                    name,
                    Duration.ofMillis(50),
                    0.5,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(2),
                    1L,
                    null,
                    Clock.systemUTC());
        }

        public Settings withLatency(Duration median, double sigma) {
            return new Settings(
                    name, median, sigma, callTimeout, slowLatency, seed, journalFolder, clock);
        }

        public Settings withCallTimeout(Duration timeout) {
            return new Settings(
                    name,
                    medianLatency,
                    latencySigma,
                    timeout,
                    slowLatency,
                    seed,
                    journalFolder,
                    clock);
        }

        public Settings withSlowLatency(Duration slow) {
            return new Settings(
                    name,
                    medianLatency,
                    latencySigma,
                    callTimeout,
                    slow,
                    seed,
                    journalFolder,
                    clock);
        }

        public Settings withSeed(long newSeed) {
            return new Settings(
                    name,
                    medianLatency,
                    latencySigma,
                    callTimeout,
                    slowLatency,
                    newSeed,
                    journalFolder,
                    clock);
        }

        /** Keeps the journal in this folder; null keeps everything in memory. */
        public Settings withJournal(Path folder) {
            return new Settings(
                    name,
                    medianLatency,
                    latencySigma,
                    callTimeout,
                    slowLatency,
                    seed,
                    folder,
                    clock);
        }

        public Settings withClock(Clock newClock) {
            return new Settings(
                    name,
                    medianLatency,
                    latencySigma,
                    callTimeout,
                    slowLatency,
                    seed,
                    journalFolder,
                    newClock);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Switches the simulated outage: while unavailable every call fails at once with {@code ERROR
     * provider_unavailable} and nothing is performed.
     */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    public boolean isAvailable() {
        return available;
    }

    /** Every operation performed so far, including those reloaded from the journal file. */
    public synchronized List<JournalEntry> journal() {
        return List.copyOf(journal);
    }

    @Override
    public CompletableFuture<ProviderResult> authorize(AuthorizationCall call) {
        Objects.requireNonNull(call, "call");
        return perform(() -> decideAuthorization(call));
    }

    @Override
    public CompletableFuture<ProviderResult> capture(
            String authorizationReference, long amount, String currency, String operationId) {
        return perform(
                () ->
                        decideFollowUp(
                                Operation.CAPTURE,
                                authorizationReference,
                                amount,
                                currency,
                                operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> voidAuthorization(
            String authorizationReference, String operationId) {
        return perform(
                () -> decideFollowUp(Operation.VOID, authorizationReference, 0, null, operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> refund(
            String authorizationReference, long amount, String currency, String operationId) {
        return perform(
                () ->
                        decideFollowUp(
                                Operation.REFUND,
                                authorizationReference,
                                amount,
                                currency,
                                operationId));
    }

    @Override
    public CompletableFuture<ProviderResult> status(String paymentId) {
        return perform(
                () -> {
                    synchronized (this) {
                        if (shared != null
                                && paymentId != null
                                && !byPaymentId.containsKey(paymentId)) {
                            refresh(paymentId); // authorized by another process, perhaps
                        }
                        Authorization auth = paymentId == null ? null : byPaymentId.get(paymentId);
                        return new Answer(
                                auth == null
                                        ? ProviderResult.notFound(name, "no such payment")
                                        : auth.result,
                                nextLatency());
                    }
                });
    }

    /** A decision and how long the provider takes to tell it. */
    private record Answer(ProviderResult result, Duration latency) {}

    /**
     * Decides on the provider's own threads, so the caller never waits for the journal, then
     * answers after the latency, or as {@code UNKNOWN} at the call timeout.
     */
    private CompletableFuture<ProviderResult> perform(Supplier<Answer> decision) {
        CompletableFuture<ProviderResult> future = new CompletableFuture<>();
        try {
            if (!available) {
                ProviderResult refused = ProviderResult.unavailable(name, "connection refused");
                scheduler.execute(() -> future.complete(refused));
                return future;
            }
            deciders.execute(
                    () -> {
                        Answer answer;
                        try {
                            answer = decision.get();
                        } catch (RuntimeException e) {
                            future.completeExceptionally(e);
                            return;
                        }
                        Duration delay = answer.latency();
                        ProviderResult result = answer.result();
                        if (delay.compareTo(callTimeout) >= 0) {
                            delay = callTimeout;
                            result =
                                    ProviderResult.unknown(name, "no answer within " + callTimeout);
                        }
                        ProviderResult told = result;
                        scheduler.schedule(
                                () -> future.complete(told), delay.toNanos(), TimeUnit.NANOSECONDS);
                    });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * Decides an authorization in memory, then journals it outside the provider's lock: with a
     * shared journal the append is a database commit, and authorizations of different payments must
     * not wait for each other's.
     */
    private Answer decideAuthorization(AuthorizationCall call) {
        Object decided = decideInMemory(call);
        if (decided instanceof Answer answer) {
            return answer;
        }
        Decided d = (Decided) decided;
        JournalEntry standing = shared == null ? d.entry() : shared.append(name, d.entry());
        synchronized (this) {
            if (standing == d.entry() && journalFile != null) {
                journalFile.append(d.entry());
            }
            replay(standing);
            if (standing != d.entry()) {
                // another process authorized this payment id first: its answer stands
                return new Answer(byPaymentId.get(call.paymentId()).result, nextLatency());
            }
        }
        return new Answer(d.result(), d.latency());
    }

    /** A new authorization, decided and not yet journaled. */
    private record Decided(JournalEntry entry, ProviderResult result, Duration latency) {}

    /** The answer when the call needs no journal entry, else the {@link Decided} entry. */
    private synchronized Object decideInMemory(AuthorizationCall call) {
        Authorization earlier = byPaymentId.get(call.paymentId());
        if (earlier != null) {
            if (earlier.amount != call.amount() || !earlier.currency.equals(call.currency())) {
                return new Answer(
                        ProviderResult.error(
                                name,
                                "payment_id_reused",
                                "The payment id was authorized with another amount or currency"),
                        nextLatency());
            }
            return new Answer(earlier.result, nextLatency());
        }
        if (!validId(call.paymentId())) {
            return new Answer(
                    ProviderResult.error(name, "invalid_request", "invalid payment id"),
                    Duration.ZERO);
        }
        Duration latency = nextLatency();
        ProviderResult result;
        if (call.method() instanceof AuthorizationCall.CardMethod card) {
            String number = card.number();
            String declineCode = DECLINE_CODES.get(number);
            if (declineCode != null) {
                result =
                        ProviderResult.declined(
                                name, reference(), declineCode, MESSAGES.get(declineCode));
            } else if (DECLINE_ECHOING_THE_NUMBER.equals(number)) {
                result =
                        ProviderResult.declined(
                                name,
                                reference(),
                                "do_not_honor",
                                "Do not honor: the issuer refused card " + number);
            } else if (PROCESSING_ERROR.equals(number)) {
                result =
                        ProviderResult.error(
                                name, "processing_error", MESSAGES.get("processing_error"));
            } else if (TIMEOUT.equals(number)) {
                latency = callTimeout;
                result = ProviderResult.approved(name, reference());
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
        JournalEntry entry =
                new JournalEntry(
                        clock.instant(),
                        call.paymentId(),
                        Operation.AUTHORIZE,
                        null,
                        call.amount(),
                        call.currency(),
                        result.outcome(),
                        result.reference(),
                        result.code());
        return new Decided(entry, result, latency);
    }

    private synchronized Answer decideFollowUp(
            Operation operation,
            String authorizationReference,
            long amount,
            String currency,
            String operationId) {
        if (authorizationReference == null
                || !validId(operationId)
                || (operation != Operation.VOID && (amount <= 0 || currency == null))) {
            return new Answer(
                    ProviderResult.error(
                            name,
                            "invalid_" + operation.name().toLowerCase(Locale.ROOT),
                            "reference, operation id, amount and currency are required"),
                    Duration.ZERO);
        }
        if (shared != null) {
            // what other processes did with this authorization since
            Authorization known = byReference.get(authorizationReference);
            String paymentId =
                    known != null
                            ? known.paymentId
                            : shared.paymentOf(name, authorizationReference).orElse(null);
            if (paymentId != null) {
                refresh(paymentId);
            }
        }
        Authorization auth = byReference.get(authorizationReference);
        if (auth == null) {
            return new Answer(
                    ProviderResult.error(
                            name,
                            ProviderResult.UNKNOWN_REFERENCE,
                            "No authorization with this reference"),
                    nextLatency());
        }
        FollowUp earlier = followUps.get(key(auth.reference, operationId));
        if (earlier != null) {
            boolean same =
                    earlier.operation == operation
                            && (operation == Operation.VOID
                                    || (earlier.amount == amount
                                            && earlier.currency.equals(currency)));
            return new Answer(
                    same
                            ? earlier.result
                            : ProviderResult.error(
                                    name,
                                    "operation_id_reused",
                                    "The operation id was used for another operation"),
                    nextLatency());
        }
        String refusal = refusal(operation, auth, amount, currency);
        if (refusal != null) {
            return new Answer(ProviderResult.error(name, refusal, refusal), nextLatency());
        }
        ProviderResult result = ProviderResult.approved(name, reference());
        JournalEntry entry =
                new JournalEntry(
                        clock.instant(),
                        auth.paymentId,
                        operation,
                        operationId,
                        operation == Operation.VOID ? auth.amount - auth.captured : amount,
                        auth.currency,
                        Outcome.APPROVED,
                        result.reference(),
                        null);
        if (record(entry) != entry) {
            // another process performed this operation id first: its answer stands
            return new Answer(
                    followUps.get(key(auth.reference, operationId)).result, nextLatency());
        }
        return new Answer(result, nextLatency());
    }

    /** Why a follow-up cannot be performed on the authorization, or null when it can. */
    private static String refusal(
            Operation operation, Authorization auth, long amount, String currency) {
        if (auth.result.outcome() != Outcome.APPROVED) {
            return "authorization_not_approved";
        }
        if (operation != Operation.VOID && !auth.currency.equals(currency)) {
            return "currency_mismatch";
        }
        if (operation == Operation.REFUND) {
            return amount > auth.captured - auth.refunded ? "amount_exceeds_captured" : null;
        }
        if (auth.voided) {
            return "authorization_voided";
        }
        if (operation == Operation.CAPTURE) {
            return amount > auth.amount - auth.captured ? "amount_exceeds_authorization" : null;
        }
        return auth.captured >= auth.amount ? "authorization_captured" : null;
    }

    /**
     * Journals an operation and applies it; returns the entry that stands, which is an earlier one
     * when another process sharing the journal performed the same operation first.
     */
    private JournalEntry record(JournalEntry entry) {
        JournalEntry standing = shared == null ? entry : shared.append(name, entry);
        if (standing == entry && journalFile != null) {
            journalFile.append(entry);
        }
        replay(standing);
        return standing;
    }

    /** Applies what other processes sharing the journal did with the payment. */
    private void refresh(String paymentId) {
        shared.forPayment(name, paymentId).forEach(this::replay);
    }

    /**
     * Applies an operation to the provider's memory, when performed or reloaded; an operation
     * applied before (read again from the shared journal) changes nothing.
     */
    private synchronized void replay(JournalEntry e) {
        String id =
                e.paymentId()
                        + '\n'
                        + e.operation()
                        + '\n'
                        + (e.operationId() == null ? "" : e.operationId());
        if (!seen.add(id)) {
            return;
        }
        journal.add(e);
        if (e.operation() == Operation.AUTHORIZE) {
            Authorization auth =
                    new Authorization(
                            e.paymentId(),
                            e.reference(),
                            e.amount(),
                            e.currency(),
                            new ProviderResult(
                                    e.outcome(),
                                    name,
                                    e.reference(),
                                    e.code(),
                                    e.code() == null ? null : MESSAGES.get(e.code())));
            byPaymentId.put(e.paymentId(), auth);
            if (e.reference() != null) {
                byReference.put(e.reference(), auth);
            }
            return;
        }
        Authorization auth = byPaymentId.get(e.paymentId());
        if (auth == null || auth.reference == null || e.outcome() != Outcome.APPROVED) {
            return;
        }
        followUps.put(
                key(auth.reference, e.operationId()),
                new FollowUp(
                        e.operation(),
                        e.amount(),
                        e.currency(),
                        ProviderResult.approved(name, e.reference())));
        switch (e.operation()) {
            case CAPTURE -> auth.captured += e.amount();
            case REFUND -> auth.refunded += e.amount();
            case VOID -> auth.voided = true;
            default -> {}
        }
    }

    /** An authorization and what has been done to it since. */
    private static final class Authorization {
        final String paymentId;
        final String reference;
        final long amount;
        final String currency;
        final ProviderResult result;
        long captured;
        long refunded;
        boolean voided;

        Authorization(
                String paymentId,
                String reference,
                long amount,
                String currency,
                ProviderResult result) {
            this.paymentId = paymentId;
            this.reference = reference;
            this.amount = amount;
            this.currency = currency;
            this.result = result;
        }
    }

    /** A performed capture, void or refund, kept to answer its repetitions. */
    private record FollowUp(
            Operation operation, long amount, String currency, ProviderResult result) {}

    private static String key(String authorizationReference, String operationId) {
        return authorizationReference + '\n' + operationId;
    }

    /** Ids go into a line-per-operation journal: no line breaks or other control characters. */
    private static boolean validId(String id) {
        return id != null && !id.isBlank() && id.chars().noneMatch(Character::isISOControl);
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
        deciders.shutdownNow();
        if (journalFile != null) {
            try {
                journalFile.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
