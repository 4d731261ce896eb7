package org.fraudplatform.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.fraudplatform.api.audit.AuditTrail;
import org.fraudplatform.api.console.Console;
import org.fraudplatform.api.console.DeadLetterCounts;
import org.fraudplatform.api.http.ApiServer;
import org.fraudplatform.api.idempotency.IdempotencyStore;
import org.fraudplatform.api.keys.ApiInstances;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.merchants.MerchantStore;
import org.fraudplatform.api.payments.EdgeRequestMapper;
import org.fraudplatform.api.payments.Ledger;
import org.fraudplatform.api.payments.LifecycleService;
import org.fraudplatform.api.payments.PaymentRepository;
import org.fraudplatform.api.payments.PaymentService;
import org.fraudplatform.api.payments.PendingReplies;
import org.fraudplatform.api.payments.PendingResolver;
import org.fraudplatform.api.payments.ReplyListener;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.reconciliation.ReconciliationService;
import org.fraudplatform.api.tokenization.TokenizationKey;
import org.fraudplatform.api.tokenization.Tokenizer;
import org.fraudplatform.api.webhooks.WebhookService;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.encryption.FieldCipher;
import org.fraudplatform.database.projection.ProjectionProgress;
import org.fraudplatform.database.projection.Quarantine;
import org.fraudplatform.history.HistoryWriter;
import org.fraudplatform.history.PaymentHistory;
import org.fraudplatform.providers.DatabaseJournal;
import org.fraudplatform.providers.MeteredProvider;
import org.fraudplatform.providers.RoutingProvider;
import org.fraudplatform.providers.SimulatedProvider;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.CommandResult;
import org.fraudplatform.schemas.CustomerNotification;
import org.fraudplatform.schemas.DeadLetter;
import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReconciliationResolution;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.topics.Topics;
import org.fraudplatform.workers.ProviderDispatcher;
import org.fraudplatform.workers.events.LedgerEventsConsumer;
import org.fraudplatform.workers.notifications.Channel;
import org.fraudplatform.workers.notifications.ContactStore;
import org.fraudplatform.workers.notifications.CustomerNotifier;
import org.fraudplatform.workers.notifications.LogTopicSender;
import org.fraudplatform.workers.notifications.NotificationSettings;
import org.fraudplatform.workers.notifications.Sender;
import org.fraudplatform.workers.notifications.SmtpSender;
import org.fraudplatform.workers.notifications.Templates;
import org.fraudplatform.workers.webhooks.HostResolver;
import org.fraudplatform.workers.webhooks.WebhookDestinations;
import org.fraudplatform.workers.webhooks.WebhookQueue;
import org.fraudplatform.workers.webhooks.WebhookSender;
import org.fraudplatform.workers.webhooks.WebhookSettings;
import org.fraudplatform.workers.webhooks.WebhookStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment API process part, assembled: database (migrated), merchant and idempotency stores,
 * tokenizer, Kafka producers, the decision listener on this instance's reply partition, the
 * simulated provider, the payment flow and the HTTP server. {@link #close()} stops them in reverse
 * order.
 */
public final class PaymentApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PaymentApi.class);

    /**
     * The console administrator's one-time password, written in the data folder when the platform
     * starts with nobody yet.
     */
    public static final String ADMIN_PASSWORD_FILE = "admin-password";

    /**
     * A token of the first administrator (for {@code --token} on the command line and the HTTP
     * operator routes), written in the data folder beside the password when the platform starts
     * with nobody yet.
     */
    public static final String ADMIN_TOKEN_FILE = "admin-token";

    /**
     * Threads that finish payments: they write to PostgreSQL, and concurrent commits share WAL
     * flushes (group commit), so more threads than cores is what keeps throughput up.
     */
    private static final int WORKER_THREADS = 16;

    /** Threads that parse, authenticate and reserve idempotency keys (one commit each). */
    private static final int HTTP_THREADS = 8;

    /**
     * What the API runs with, built by name with {@link Settings#builder(InetSocketAddress, Path)}.
     *
     * @param address where the HTTP server listens
     * @param tls the certificate and key of HTTPS, or null for plain HTTP
     * @param instance this API instance's number, which is also its reply partition
     * @param decisionTimeout how long a request waits for its decision before replying pending
     * @param providerLatency median latency of the simulated provider
     * @param dataDir where the generated tokenization key lives when none is configured
     * @param tokenizationKey base64 key from configuration, or null to use the data folder's
     * @param providerTimeout after this a provider call is UNKNOWN (the payment stays pending until
     *     a status query resolves it)
     * @param maxInFlight payments and money movements worked on at once, at most; more are refused
     *     with 503
     * @param latencyTarget the mean latency the bound on work in flight adapts to (zero: fixed)
     * @param currencyRates the currencies payments are accepted in: those this table converts
     * @param providers the configured provider connectors and routes, beside the simulated
     *     providers; null routes over the simulated providers only
     * @param settlementFetchAt when the simulated providers' previous day of settlement is fetched
     *     (UTC); the connectors' is the providers file's
     * @param cancelUnknownAfter how long a payment may stay pending with a provider that cannot
     *     tell its outcome (Adyen without its notification) before it is cancelled there and failed
     */
    public record Settings(
            InetSocketAddress address,
            org.fraudplatform.api.tls.ServerTls tls,
            int instance,
            Duration decisionTimeout,
            Duration providerLatency,
            Path dataDir,
            String tokenizationKey,
            Duration providerTimeout,
            WebhookSettings webhooks,
            NotificationSettings notifications,
            int maxInFlight,
            Duration latencyTarget,
            org.fraudplatform.schemas.money.CurrencyRates currencyRates,
            org.fraudplatform.providers.connectors.ProviderConfig providers,
            java.time.LocalTime settlementFetchAt,
            Duration cancelUnknownAfter) {

        /** Payments and money movements worked on at once, at most, when none is given. */
        public static final int DEFAULT_MAX_IN_FLIGHT = 256;

        /**
         * How long a payment may stay pending with a provider that cannot tell its outcome before
         * it is cancelled there, when none is given: Adyen's notifications usually arrive within
         * seconds, and are retried by Adyen for hours when they fail.
         */
        public static final Duration DEFAULT_CANCEL_UNKNOWN_AFTER = Duration.ofHours(1);

        /** The mean latency the bound on work in flight adapts to when none is given. */
        public static final Duration DEFAULT_LATENCY_TARGET = Duration.ofMillis(500);

        /**
         * Settings of an API listening on {@code address} with its files in {@code dataDir}, every
         * other setting at the default of {@code fraud run}, to be changed by name before {@link
         * Builder#build()}.
         */
        public static Builder builder(InetSocketAddress address, Path dataDir) {
            return new Builder(address, dataDir);
        }

        /** {@link Settings} by name; each setting starts at the default of {@code fraud run}. */
        public static final class Builder {
            private final InetSocketAddress address;
            private final Path dataDir;
            private org.fraudplatform.api.tls.ServerTls tls;
            private int instance;
            private Duration decisionTimeout = Duration.ofSeconds(2);
            private Duration providerLatency = Duration.ofMillis(20);
            private String tokenizationKey;
            private Duration providerTimeout = Duration.ofSeconds(5);
            private WebhookSettings webhooks = WebhookSettings.DEFAULTS;
            private NotificationSettings notifications = NotificationSettings.DEFAULTS;
            private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
            private Duration latencyTarget = DEFAULT_LATENCY_TARGET;
            private org.fraudplatform.schemas.money.CurrencyRates currencyRates;
            private org.fraudplatform.providers.connectors.ProviderConfig providers;
            private java.time.LocalTime settlementFetchAt =
                    org.fraudplatform.providers.connectors.ProviderConfig.DEFAULT_FETCH_AT;
            private Duration cancelUnknownAfter = DEFAULT_CANCEL_UNKNOWN_AFTER;

            private Builder(InetSocketAddress address, Path dataDir) {
                this.address = address;
                this.dataDir = dataDir;
            }

            /** The certificate and key of HTTPS; null for plain HTTP. */
            public Builder tls(org.fraudplatform.api.tls.ServerTls tls) {
                this.tls = tls;
                return this;
            }

            public Builder instance(int instance) {
                this.instance = instance;
                return this;
            }

            public Builder decisionTimeout(Duration decisionTimeout) {
                this.decisionTimeout = decisionTimeout;
                return this;
            }

            public Builder providerLatency(Duration providerLatency) {
                this.providerLatency = providerLatency;
                return this;
            }

            /** Base64 key from configuration; null to use the data folder's. */
            public Builder tokenizationKey(String tokenizationKey) {
                this.tokenizationKey = tokenizationKey;
                return this;
            }

            public Builder providerTimeout(Duration providerTimeout) {
                this.providerTimeout = providerTimeout;
                return this;
            }

            public Builder webhooks(WebhookSettings webhooks) {
                this.webhooks = webhooks;
                return this;
            }

            public Builder notifications(NotificationSettings notifications) {
                this.notifications = notifications;
                return this;
            }

            public Builder maxInFlight(int maxInFlight) {
                this.maxInFlight = maxInFlight;
                return this;
            }

            public Builder latencyTarget(Duration latencyTarget) {
                this.latencyTarget = latencyTarget;
                return this;
            }

            /** The currencies payments are accepted in; when not set, the packaged rates. */
            public Builder currencyRates(org.fraudplatform.schemas.money.CurrencyRates rates) {
                this.currencyRates = rates;
                return this;
            }

            /** The provider connectors and routes; null for the simulated providers only. */
            public Builder providers(
                    org.fraudplatform.providers.connectors.ProviderConfig providers) {
                this.providers = providers;
                return this;
            }

            /** How long an outcome may stay unknown before it is cancelled at the provider. */
            public Builder cancelUnknownAfter(Duration cancelUnknownAfter) {
                this.cancelUnknownAfter = cancelUnknownAfter;
                return this;
            }

            /** When the simulated providers' previous day of settlement is fetched (UTC). */
            public Builder settlementFetchAt(java.time.LocalTime settlementFetchAt) {
                this.settlementFetchAt = settlementFetchAt;
                return this;
            }

            public Settings build() {
                return new Settings(
                        address,
                        tls,
                        instance,
                        decisionTimeout,
                        providerLatency,
                        dataDir,
                        tokenizationKey,
                        providerTimeout,
                        webhooks,
                        notifications,
                        maxInFlight,
                        latencyTarget,
                        currencyRates != null
                                ? currencyRates
                                : org.fraudplatform.schemas.money.CurrencyRates.packaged(),
                        providers,
                        settlementFetchAt,
                        cancelUnknownAfter);
            }
        }
    }

    /** Where the transactional database is. */
    public record DatabaseAddress(String jdbcUrl, String user, String password) {}

    private final Deque<AutoCloseable> parts;
    private final MerchantStore merchants;
    private final ApiKeys apiKeys;
    private final ApiServer server;
    private final ProjectionProgress history;
    private final List<SimulatedProvider> providers;
    private final PendingResolver resolver;
    private final Console console;
    private final org.fraudplatform.providers.connectors.SettlementFetch settlementFetch;

    private PaymentApi(
            Deque<AutoCloseable> parts,
            MerchantStore merchants,
            ApiKeys apiKeys,
            ApiServer server,
            ProjectionProgress history,
            List<SimulatedProvider> providers,
            PendingResolver resolver,
            Console console,
            org.fraudplatform.providers.connectors.SettlementFetch settlementFetch) {
        this.parts = parts;
        this.merchants = merchants;
        this.apiKeys = apiKeys;
        this.server = server;
        this.history = history;
        this.providers = providers;
        this.resolver = resolver;
        this.console = console;
        this.settlementFetch = settlementFetch;
    }

    /** The analysts' console this API serves at {@code /console}. */
    public Console console() {
        return console;
    }

    /** The simulated providers behind the router (to take one down, or read its journal). */
    public List<SimulatedProvider> providers() {
        return providers;
    }

    /**
     * The daily fetch of the connectors' settlements, when connectors that settle are configured.
     */
    public java.util.Optional<org.fraudplatform.providers.connectors.SettlementFetch>
            settlementFetch() {
        return java.util.Optional.ofNullable(settlementFetch);
    }

    /** Each provider's fetch as {@code /health} shows it. */
    private static Map<String, Object> settlementFetchDetails(
            org.fraudplatform.providers.connectors.SettlementFetch fetch) {
        Map<String, Object> byProvider = new LinkedHashMap<>();
        for (var status : fetch.status()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", status.state());
            if (status.lastFetched() != null) {
                one.put("last_fetched", status.lastFetched().toString());
            }
            one.put("failures", status.failures());
            if (status.lastError() != null) {
                one.put("last_error", status.lastError());
            }
            if (status.nextAttempt() != null) {
                one.put("next_attempt", status.nextAttempt().toString());
            }
            byProvider.put(status.provider(), one);
        }
        return byProvider;
    }

    /** Resolves payments left pending by a provider timeout now; returns how many. */
    public int resolvePending() {
        return resolver.resolve();
    }

    /**
     * Waits until the history projection (in this process or in the history role) has applied
     * everything the ledger wrote so far.
     */
    public boolean awaitHistory(Duration timeout) throws InterruptedException {
        return history.awaitCaughtUp(timeout);
    }

    public static PaymentApi start(
            Settings settings,
            DatabaseAddress database,
            KafkaConnection kafka,
            Topics topics,
            PrometheusMeterRegistry metrics,
            ApiServer.Health health,
            ApiServer.Operations operations)
            throws IOException {
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            Database db =
                    Database.connect(database.jdbcUrl(), database.user(), database.password());
            parts.push(db);
            DataSource dataSource = db.dataSource();
            MerchantStore merchants = new MerchantStore(dataSource);
            ApiKeys apiKeys = new ApiKeys(dataSource);
            // a key's rate limit holds across the API instances: each allows its share
            ApiInstances instances = ApiInstances.start(dataSource, "api-" + settings.instance());
            parts.push(instances);
            apiKeys.shareLimitsAmong(instances::alive);
            io.micrometer.core.instrument.Gauge.builder(
                            "api_instances_alive", instances, ApiInstances::alive)
                    .description(
                            "API instances alive, as this one counts them: a key's rate limit is"
                                    + " shared out between them")
                    .register(metrics);
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "api_key_database_lookups", apiKeys, ApiKeys::databaseLookups)
                    .description(
                            "API keys read from the database to authenticate (cache misses and"
                                    + " re-reads of cached keys past their TTL)")
                    .register(metrics);
            // a request holds its key at most through its decision timeout and provider call
            Duration lease =
                    settings.decisionTimeout()
                            .plus(settings.providerTimeout().multipliedBy(2))
                            .plusSeconds(10);
            IdempotencyStore idempotency =
                    new IdempotencyStore(dataSource, Duration.ofHours(24), lease);
            // a payment answered pending waits this long for its decision (2 min by default)
            Duration lateDecisionHold = settings.decisionTimeout().multipliedBy(60);
            TokenizationKey tokenizationKey =
                    settings.tokenizationKey() != null
                            ? TokenizationKey.fromBase64(settings.tokenizationKey())
                            : TokenizationKey.loadOrCreate(
                                    settings.dataDir().resolve("tokenization.key"));
            Tokenizer tokenizer = new Tokenizer(tokenizationKey);
            FieldCipher fields = fieldCipher(dataSource, tokenizationKey);

            KafkaProducer<String, PaymentRequest> requests =
                    new KafkaProducer<>(
                            producerConfig(kafka, "api-requests-" + settings.instance()),
                            topics.paymentRequests().keySerde().serializer(),
                            topics.paymentRequests().valueSerde().serializer());
            parts.push(requests);
            KafkaProducer<String, PaymentCommand> commands =
                    new KafkaProducer<>(
                            producerConfig(kafka, "api-ledger-" + settings.instance()),
                            topics.paymentCommands().keySerde().serializer(),
                            topics.paymentCommands().valueSerde().serializer());
            parts.push(commands);

            PendingReplies<RiskDecision> pending =
                    new PendingReplies<>(RiskDecision::getCorrelationId);
            ReplyListener<RiskDecision> listener =
                    new ReplyListener<>(
                            kafka, topics.paymentDecisions(), settings.instance(), pending);
            parts.push(listener);
            listener.start();
            PendingReplies<CommandResult> results =
                    new PendingReplies<>(CommandResult::getCommandId);
            ReplyListener<CommandResult> resultListener =
                    new ReplyListener<>(
                            kafka, topics.commandResults(), settings.instance(), results);
            parts.push(resultListener);
            resultListener.start();
            Ledger ledger =
                    new Ledger(commands, topics.paymentCommands(), results, settings.instance());
            // a record no consumer can ever handle goes to payments.dlq with the reason
            KafkaProducer<byte[], DeadLetter> deadLetterProducer =
                    new KafkaProducer<>(
                            producerConfig(kafka, "api-dead-letters"),
                            topics.deadLetters().keySerde().serializer(),
                            topics.deadLetters().valueSerde().serializer());
            parts.push(() -> deadLetterProducer.close(Duration.ofSeconds(5)));
            Quarantine quarantine =
                    new Quarantine(
                            deadLetterProducer, topics.deadLetters().name(), Clock.systemUTC());
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "consumer_records_quarantined", quarantine, Quarantine::quarantined)
                    .description(
                            "Records a consumer of the API could never handle, sent to the"
                                    + " dead-letter topic")
                    .register(metrics);
            // the read models (history, the console's decisions, links and labels, reconciliation
            // items, the audit trail) are projected by the history role, in this process or in
            // its own; the API reads them, and reads its own writes by waiting for the offsets
            // the history projection stored with its rows
            ProjectionProgress historyProgress =
                    new ProjectionProgress(
                            kafka, new HistoryWriter(dataSource), topics.paymentSnapshots().name());
            parts.push(historyProgress);
            PaymentHistory history = new PaymentHistory(dataSource);
            KafkaProducer<String, ReconciliationResolution> resolutions =
                    new KafkaProducer<>(
                            producerConfig(kafka, "api-reconciliation"),
                            topics.reconciliationResolutions().keySerde().serializer(),
                            topics.reconciliationResolutions().valueSerde().serializer());
            parts.push(() -> resolutions.close(Duration.ofSeconds(5)));

            // two simulated providers, each with its journal (what this instance did, across
            // restarts), behind a router: bank transfers to b, cards to a with failover to b
            Path journals = settings.dataDir().resolve("providers");
            // every API instance meets the same providers: their memory is in the database
            DatabaseJournal sharedJournal = new DatabaseJournal(dataSource);
            SimulatedProvider providerA =
                    new SimulatedProvider(
                            SimulatedProvider.Settings.of("simulated-a")
                                    .withLatency(settings.providerLatency(), 0.5)
                                    .withCallTimeout(settings.providerTimeout())
                                    .withSeed(1L)
                                    .withJournal(journals),
                            sharedJournal);
            parts.push(providerA);
            SimulatedProvider providerB =
                    new SimulatedProvider(
                            SimulatedProvider.Settings.of("simulated-b")
                                    .withLatency(settings.providerLatency(), 0.5)
                                    .withCallTimeout(settings.providerTimeout())
                                    .withSeed(2L)
                                    .withJournal(journals),
                            sharedJournal);
            parts.push(providerB);
            RoutingProvider provider;
            Map<String, org.fraudplatform.providers.ProviderWebhooks> providerWebhooks;
            // the simulated providers serve their daily settlement over HTTP, as real ones do
            org.fraudplatform.providers.connectors.SimulatedSettlementServer simulatedSettlements =
                    new org.fraudplatform.providers.connectors.SimulatedSettlementServer(
                            Map.of(
                                    providerA.name(), sharedJournal::onDay,
                                    providerB.name(), sharedJournal::onDay),
                            Clock.systemUTC());
            parts.push(simulatedSettlements);
            List<org.fraudplatform.providers.connectors.SettlementFetch.Source> settlementSources =
                    new java.util.ArrayList<>(simulatedSettlements.sources());
            java.time.LocalTime fetchAt = settings.settlementFetchAt();
            if (settings.providers() == null) {
                // every call timed and counted by provider, operation and outcome
                provider =
                        RoutingProvider.defaults(
                                new MeteredProvider(providerA), new MeteredProvider(providerB));
                providerWebhooks = Map.of();
            } else {
                // real providers' connectors by configuration, routed with the simulated ones
                org.fraudplatform.providers.connectors.ProviderConfig.Built built =
                        settings.providers()
                                .build(
                                        List.of(providerA, providerB),
                                        settings.providerTimeout(),
                                        System.getenv(),
                                        Clock.systemUTC(),
                                        journals);
                provider = built.router();
                providerWebhooks = built.webhooks();
                settlementSources.addAll(built.settlements());
                fetchAt = settings.providers().settlementFetchAt();
            }
            // the previous day's settlement, each morning, into the settlement inbox
            org.fraudplatform.providers.connectors.SettlementFetch settlementFetch =
                    new org.fraudplatform.providers.connectors.SettlementFetch(
                            settlementSources,
                            settings.dataDir().resolve("settlements").resolve("inbox"),
                            fetchAt,
                            Clock.systemUTC(),
                            Duration.ofMinutes(1),
                            Duration.ofHours(1));
            for (String name : settlementFetch.providers()) {
                io.micrometer.core.instrument.FunctionCounter.builder(
                                DomainMetrics.SETTLEMENT_FETCH_FAILURES,
                                settlementFetch,
                                f -> f.failures(name))
                        .tag("provider", name)
                        .description("Settlement fetches from the provider that failed")
                        .register(metrics);
                io.micrometer.core.instrument.Gauge.builder(
                                DomainMetrics.SETTLEMENT_DAYS_MISSING,
                                settlementFetch,
                                f -> f.missing(name))
                        .tag("provider", name)
                        .description(
                                "1 while the provider's previous day of settlement is not"
                                        + " fetched an hour after the fetch time")
                        .register(metrics);
            }
            parts.push(settlementFetch);
            settlementFetch.start();
            // what the ledger decides reaches the provider from payments.events, at least once
            ProviderDispatcher dispatcher =
                    new ProviderDispatcher(
                            kafka,
                            topics.paymentEvents(),
                            provider,
                            Duration.ofMillis(500),
                            Duration.ofSeconds(30));
            parts.push(dispatcher);
            dispatcher.start();

            AtomicInteger n = new AtomicInteger();
            // two timers per payment, cancelled when it completes: cancelled ones leave the queue
            java.util.concurrent.ScheduledThreadPoolExecutor timerPool =
                    new java.util.concurrent.ScheduledThreadPoolExecutor(
                            1, daemon("api-timers", n));
            timerPool.setRemoveOnCancelPolicy(true);
            ScheduledExecutorService timers = timerPool;
            parts.push(timers::shutdownNow);
            ExecutorService workers =
                    Executors.newFixedThreadPool(WORKER_THREADS, daemon("api-worker", n));
            parts.push(workers::shutdown);

            ContactStore contacts = new ContactStore(dataSource, fields);
            PaymentService service =
                    new PaymentService(
                            new PaymentService.Settings(
                                    settings.decisionTimeout(),
                                    lateDecisionHold,
                                    settings.instance(),
                                    // the resolver asks the provider after twice this
                                    settings.providerTimeout()),
                            new EdgeRequestMapper(
                                    tokenizer,
                                    Clock.systemUTC(),
                                    settings.currencyRates(),
                                    provider.providerTokenKinds()),
                            idempotency,
                            new PaymentRepository(dataSource),
                            requests,
                            topics.paymentRequests(),
                            ledger,
                            pending,
                            provider,
                            Clock.systemUTC(),
                            timers,
                            workers,
                            metrics,
                            contacts,
                            history,
                            historyProgress::awaitCaughtUp);

            org.fraudplatform.providers.connectors.SettlementFetch fetches = settlementFetch;
            ApiServer.Health readiness =
                    new ApiServer.Health() {
                        @Override
                        public Map<String, Boolean> checks() {
                            Map<String, Boolean> checks = new LinkedHashMap<>(health.checks());
                            checks.put("database", db.isReachable());
                            checks.put("decision-listener", listener.isReady());
                            checks.put("result-listener", resultListener.isReady());
                            checks.put("provider-dispatch", dispatcher.isAlive());
                            return checks;
                        }

                        @Override
                        public Map<String, Object> details() {
                            return fetches == null
                                    ? Map.of()
                                    : Map.of("settlement_fetch", settlementFetchDetails(fetches));
                        }
                    };
            People people = new People(dataSource, Clock.systemUTC());
            KafkaProducer<String, AuditEvent> auditProducer =
                    new KafkaProducer<>(
                            producerConfig(kafka, "api-audit-" + settings.instance()),
                            topics.audit().keySerde().serializer(),
                            topics.audit().valueSerde().serializer());
            parts.push(() -> auditProducer.close(Duration.ofSeconds(5)));
            StaffDesk staff =
                    new StaffDesk(
                            people,
                            apiKeys,
                            dataSource,
                            Integer.toString(settings.instance()),
                            new AuditTrail(dataSource),
                            auditProducer,
                            topics.audit(),
                            Clock.systemUTC());
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "audit_authentication_failures_unaudited", staff, StaffDesk::unaudited)
                    .description(
                            "Failed authentications above the audit trail's budget: counted, not"
                                    + " written")
                    .register(metrics);
            ApiServer server =
                    ApiServer.start(
                            settings.address(),
                            settings.tls(),
                            HTTP_THREADS,
                            service,
                            apiKeys::check,
                            readiness,
                            metrics,
                            operations,
                            staff,
                            settings.maxInFlight(),
                            settings.latencyTarget());
            parts.push(server);
            LifecycleService lifecycle =
                    new LifecycleService(
                            ledger,
                            idempotency,
                            new PaymentRepository(dataSource),
                            history,
                            Clock.systemUTC(),
                            workers,
                            Duration.ofSeconds(10));
            server.lifecycle(lifecycle);
            if (!providerWebhooks.isEmpty()) {
                server.serve(
                        new org.fraudplatform.api.http.ProviderWebhooksResource(
                                providerWebhooks, lifecycle));
            }
            Console console =
                    new Console(
                            people,
                            dataSource,
                            lifecycle,
                            operations,
                            staff,
                            historyProgress::awaitCaughtUp);
            parts.push(console);
            DeadLetterCounts deadLetterCounts =
                    new DeadLetterCounts(
                            kafka,
                            List.of(
                                    topics.deadLetters().name(),
                                    topics.webhookDeadLetters().name(),
                                    topics.settlementQuarantine().name()),
                            Clock.systemUTC());
            parts.push(deadLetterCounts);
            console.deadLetters(deadLetterCounts);
            server.serve(console);
            people.ensureAdmin(
                            settings.dataDir().resolve(ADMIN_PASSWORD_FILE),
                            settings.dataDir().resolve(ADMIN_TOKEN_FILE))
                    .ifPresent(
                            password ->
                                    log.info(
                                            "created the administrator 'admin'; its one-time"
                                                    + " password is in {}, a token in {}",
                                            settings.dataDir().resolve(ADMIN_PASSWORD_FILE),
                                            settings.dataDir().resolve(ADMIN_TOKEN_FILE)));
            KafkaProducer<String, CustomerNotification> notificationLog =
                    new KafkaProducer<>(
                            producerConfig(kafka, "api-notifications"),
                            topics.notificationsLog().keySerde().serializer(),
                            topics.notificationsLog().valueSerde().serializer());
            parts.push(() -> notificationLog.close(Duration.ofSeconds(5)));
            Sender logSender =
                    new LogTopicSender(
                            notificationLog, topics.notificationsLog(), Clock.systemUTC());
            NotificationSettings ns = settings.notifications();
            Map<Channel, Sender> senders = new java.util.EnumMap<>(Channel.class);
            senders.put(
                    Channel.EMAIL,
                    ns.smtpHost() == null
                            ? logSender
                            : new SmtpSender(ns.smtpHost(), ns.smtpPort(), ns.from()));
            senders.put(Channel.SMS, logSender);
            senders.put(Channel.PUSH, logSender);
            LedgerEventsConsumer notifier =
                    new LedgerEventsConsumer(
                            kafka,
                            topics.paymentEvents(),
                            "api-customer-notifications",
                            new CustomerNotifier(
                                    contacts,
                                    new Templates(),
                                    senders,
                                    ns,
                                    id -> merchants.findMerchant(id).orElse(id),
                                    Clock.systemUTC()),
                            quarantine);
            parts.push(notifier);
            notifier.start();
            WebhookStore webhookStore = new WebhookStore(dataSource, fields);
            WebhookDestinations webhookDestinations =
                    new WebhookDestinations(
                            settings.webhooks().privateDestinationsAllowed(), HostResolver.SYSTEM);
            if (webhookDestinations.privateAllowed()) {
                log.warn(
                        "webhooks may go to plain http and to loopback and private addresses"
                                + " (--webhooks-allow-private): for local development only");
            }
            KafkaProducer<byte[], DeadLetter> webhookDeadLetters =
                    new KafkaProducer<>(
                            producerConfig(kafka, "api-webhooks"),
                            topics.webhookDeadLetters().keySerde().serializer(),
                            topics.webhookDeadLetters().valueSerde().serializer());
            parts.push(() -> webhookDeadLetters.close(Duration.ofSeconds(5)));
            WebhookSender webhookSender =
                    new WebhookSender(
                            webhookStore,
                            settings.webhooks(),
                            webhookDestinations,
                            webhookDeadLetters,
                            topics.webhookDeadLetters(),
                            Clock.systemUTC());
            parts.push(webhookSender);
            webhookSender.start(Duration.ofMillis(100));
            LedgerEventsConsumer webhookQueue =
                    new LedgerEventsConsumer(
                            kafka,
                            topics.paymentEvents(),
                            "api-webhooks",
                            new WebhookQueue(webhookStore, Clock.systemUTC(), webhookSender::wake),
                            quarantine);
            parts.push(webhookQueue);
            webhookQueue.start();
            server.webhooks(
                    new WebhookService(webhookStore, webhookDestinations, Clock.systemUTC()));
            ReconciliationService reconciliation =
                    new ReconciliationService(
                            dataSource,
                            resolutions,
                            topics.reconciliationResolutions(),
                            Clock.systemUTC());
            server.reconciliation(reconciliation);
            console.reconciliation(reconciliation);
            PendingResolver resolver =
                    new PendingResolver(
                            history,
                            new PaymentRepository(dataSource),
                            ledger,
                            provider,
                            Clock.systemUTC(),
                            settings.providerTimeout().multipliedBy(2),
                            lateDecisionHold.plus(lease),
                            settings.cancelUnknownAfter());
            ScheduledExecutorService resolving =
                    Executors.newSingleThreadScheduledExecutor(daemon("api-resolver", n));
            parts.push(resolving::shutdownNow);
            resolving.scheduleWithFixedDelay(
                    resolver::resolveSafely,
                    settings.providerTimeout().toMillis(),
                    settings.providerTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            // keys past their retention go, once an hour
            resolving.scheduleWithFixedDelay(
                    () -> {
                        try {
                            int purged = idempotency.purgeExpired(Instant.now());
                            if (purged > 0) {
                                log.info("purged {} expired idempotency keys", purged);
                            }
                        } catch (RuntimeException e) {
                            log.warn("purging idempotency keys failed; trying again later", e);
                        }
                    },
                    1,
                    60,
                    TimeUnit.MINUTES);
            return new PaymentApi(
                    parts,
                    merchants,
                    apiKeys,
                    server,
                    historyProgress,
                    List.of(providerA, providerB),
                    resolver,
                    console,
                    settlementFetch);
        } catch (IOException | RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    /**
     * The encryption at rest of customers' contacts and webhook secrets, under a master key derived
     * from the tokenization key; its data key is read (or made) now, so a tokenization key other
     * than the one the data was written under stops the start instead of every payment.
     */
    private static FieldCipher fieldCipher(DataSource dataSource, TokenizationKey key) {
        FieldCipher cipher = FieldCipher.inDatabase(dataSource, key.fieldEncryptionMaster());
        try {
            cipher.currentKeyId();
        } catch (FieldCipher.WrongMasterKey e) {
            throw new IllegalStateException(
                    e.getMessage()
                            + "; the master key comes from the tokenization key"
                            + " (--tokenization-key, FRAUD_TOKENIZATION_KEY or"
                            + " <data-dir>/tokenization.key): start with the one this database was"
                            + " written under",
                    e);
        }
        return cipher;
    }

    public int port() {
        return server.address().getPort();
    }

    /** Whether the API speaks HTTPS. */
    public boolean https() {
        return server.https();
    }

    public boolean merchantExists(String merchantId) {
        return merchants.findMerchant(merchantId).isPresent();
    }

    /** Creates a merchant with a key of every scope and no rate limit; returns the key's secret. */
    public String createMerchantWithKey(String merchantId, String name) {
        return createMerchantWithKey(
                        merchantId,
                        name,
                        new ApiKeys.NewKey(
                                org.fraudplatform.api.keys.Scope.all(), null, null, null),
                        "platform")
                .secret();
    }

    /** Creates a merchant and returns its first API key, in clear, once. */
    public ApiKeys.Issued createMerchantWithKey(
            String merchantId, String name, ApiKeys.NewKey key, String createdBy) {
        merchants.createMerchant(merchantId, name);
        return apiKeys.issue(merchantId, key, createdBy);
    }

    /** The merchants' API keys. */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    private static Properties producerConfig(KafkaConnection kafka, String clientId) {
        Properties props = new Properties();
        props.putAll(kafka.map());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // 1 ms lets concurrent requests share a produce request: far less CPU per record
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return props;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name, AtomicInteger n) {
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed", part, e);
            }
        }
    }
}
