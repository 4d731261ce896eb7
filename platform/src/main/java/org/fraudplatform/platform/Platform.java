package org.fraudplatform.platform;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.fraudplatform.api.PaymentApi;
import org.fraudplatform.api.tls.ServerTls;
import org.fraudplatform.dev.embedded.EmbeddedDatabase;
import org.fraudplatform.dev.embedded.EmbeddedKafka;
import org.fraudplatform.ledger.LedgerSettings;
import org.fraudplatform.ledger.LedgerTopology;
import org.fraudplatform.reconciliation.ReconciliationSettings;
import org.fraudplatform.reconciliation.ReconciliationTopology;
import org.fraudplatform.reconciliation.settlement.SettlementImporter;
import org.fraudplatform.reconciliation.settlement.SettlementInbox;
import org.fraudplatform.risk.RiskSettings;
import org.fraudplatform.risk.RiskTopology;
import org.fraudplatform.risk.RulesetReleases;
import org.fraudplatform.risk.models.LoadedModel;
import org.fraudplatform.risk.releases.LiveReleases;
import org.fraudplatform.risk.signing.RefusalCounts;
import org.fraudplatform.risk.signing.ReleaseKeys;
import org.fraudplatform.risk.signing.ReleaseRefusal;
import org.fraudplatform.risk.signing.ReleaseSigner;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.runtime.StreamsRunner;
import org.fraudplatform.runtime.metrics.DomainMetrics;
import org.fraudplatform.schemas.serde.AvroSupport;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.serde.SchemaRegistry;
import org.fraudplatform.schemas.serde.SchemaRegistryServer;
import org.fraudplatform.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running platform: starts the parts its role needs, in dependency order, and stops them in
 * reverse. Embedded parts (broker, database, schema registry) keep their state under the data
 * folder, so stopping and starting again keeps all data. A role that scores or serves the console
 * reads the release-signing key (created on first start: {@code <data-dir>/release-signing-key} and
 * its {@code .pub}) and the trusted public keys; the risk role takes up only the ruleset and model
 * releases those keys signed.
 */
public final class Platform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);
    public static final String RISK_APPLICATION_ID = "fraud-risk";
    public static final String LEDGER_APPLICATION_ID = "fraud-ledger";
    public static final String RECONCILIATION_APPLICATION_ID = "fraud-reconciliation";
    public static final String DEMO_MERCHANT = "demo";
    public static final String DEMO_KEY_FILE = "demo-merchant-api-key";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final PrometheusMeterRegistry metrics =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ManagementServer management;
    private ReadModels readModels;
    private KafkaHealth kafkaHealth;
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private String bootstrapServers;
    private KafkaConnection kafkaConnection;
    private String schemaRegistryUrl;
    private PaymentApi api;
    private PaymentApi.DatabaseAddress database;
    private StreamsRunner risk;
    private StreamsRunner ledger;
    private StreamsRunner reconciliation;
    private LiveReleases releases;

    private Platform() {}

    /** Starts everything {@code settings.role()} runs; on failure stops what had started. */
    public static Platform start(PlatformSettings settings, PrintStream out) throws Exception {
        Platform platform = new Platform();
        try {
            platform.startParts(settings, out);
            return platform;
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
    }

    private void startParts(PlatformSettings s, PrintStream out) throws Exception {
        long started = System.nanoTime();
        // a certificate or key the API cannot serve is named before anything starts
        ServerTls tls =
                s.role().runsApi() && s.tls()
                        ? ServerTls.load(s.tlsCertificate(), s.tlsKey(), java.time.Instant.now())
                        : null;
        Path dataDir = s.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        AvroSupport.trustProjectPackages();
        out.println(
                "Data folder: "
                        + dataDir
                        + (dataDir.startsWith(Path.of(System.getProperty("java.io.tmpdir")))
                                ? " (under the system's temporary folder, which the system may"
                                        + " clear: fine for a trial)"
                                : ""));

        // one platform per data folder; what a dead one left running there is stopped first
        running.push(DataFolderLock.take(dataDir));
        if (s.traces().enabled()) {
            // one trace per payment across the roles, exported to the collector; stopped last,
            // after everything that makes spans
            org.fraudplatform.runtime.tracing.Tracing tracing =
                    org.fraudplatform.runtime.tracing.Tracing.otlp(
                            s.traces().otlpEndpoint(),
                            s.role() == Role.ALL
                                    ? "fraud-platform"
                                    : "fraud-" + s.role().name().toLowerCase(java.util.Locale.ROOT),
                            s.traces().sampleRatio());
            org.fraudplatform.runtime.tracing.Tracing.install(tracing);
            running.push(
                    () -> {
                        org.fraudplatform.runtime.tracing.Tracing.install(
                                org.fraudplatform.runtime.tracing.Tracing.off());
                        tracing.close();
                    });
            out.println("Tracing: spans to " + s.traces().otlpEndpoint());
        }
        // the process's CPU time and usage, threads and memory: what a payment costs
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(metrics);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(metrics);
        // the domain metrics (decisions, rule hits, ledger commands, dead letters, ...) that the
        // roles record to Micrometer's global registry are exported with this process's own
        io.micrometer.core.instrument.Metrics.addRegistry(metrics);
        running.push(() -> io.micrometer.core.instrument.Metrics.removeRegistry(metrics));
        DomainMetrics.registerKnownSeries();
        if (s.embeddedDatabase() && s.role().runsApi()) {
            long leftover = EmbeddedDatabase.stopLeftover(dataDir.resolve("postgres"));
            if (leftover >= 0) {
                out.println(
                        "Stopped the embedded PostgreSQL (pid "
                                + leftover
                                + ") that an earlier platform on this data folder left running");
            }
        }

        // a taken port is named before anything starts, not found by a part halfway through
        PortCheck.requireFree(s.host(), PortCheck.portsOf(s));

        // and so is a key file that is missing or unreadable
        ReleaseSigner releaseSigner = null;
        TrustedKeys trustedKeys = null;
        if (s.role().runsRisk() || s.role().runsApi()) {
            Path signingKey = s.releaseKeys().signingKeyIn(dataDir);
            if (ReleaseKeys.ensure(signingKey)) {
                out.println(
                        "Created the release-signing key "
                                + signingKey
                                + " and its public key "
                                + ReleaseKeys.publicKeyFile(signingKey));
            }
            releaseSigner = ReleaseSigner.read(signingKey);
            trustedKeys = TrustedKeys.read(s.releaseKeys().publicKeysIn(dataDir));
            if (!trustedKeys.keyIds().contains(releaseSigner.keyId())) {
                log.warn(
                        "the release-signing key {} ({}) is not among the trusted release keys {}:"
                                + " the risk role refuses what this instance signs (the packaged"
                                + " ruleset, rollbacks from the console)",
                        releaseSigner.keyId(),
                        signingKey,
                        trustedKeys.keyIds());
            }
            endpoints.put(
                    "Release signing",
                    "key "
                            + releaseSigner.keyId()
                            + " ("
                            + signingKey
                            + "); trusted: "
                            + String.join(", ", trustedKeys.keyIds()));
        }

        bootstrapServers = s.bootstrapServers();
        if (s.embeddedKafka()) {
            out.println("Starting the embedded Kafka broker …");
            EmbeddedKafka kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), s.kafkaPort());
            running.push(kafka);
            bootstrapServers = kafka.bootstrapServers();
            endpoints.put("Kafka (embedded, KRaft)", bootstrapServers);
        }
        kafkaConnection = s.kafkaConnection(bootstrapServers);
        if (!s.embeddedKafka()) {
            endpoints.put("Kafka", kafkaConnection.toString());
        }

        SchemaRegistry registry;
        if (s.embeddedRegistry()) {
            InMemorySchemaRegistry local =
                    InMemorySchemaRegistry.persistentIn(dataDir.resolve("schema-registry"));
            running.push(local);
            SchemaRegistryServer server =
                    SchemaRegistryServer.start(
                            local, new InetSocketAddress(s.host(), s.schemaRegistryPort()));
            running.push(server);
            registry = local;
            schemaRegistryUrl = server.uri().toString();
            endpoints.put("Schema registry (in-process)", schemaRegistryUrl);
        } else {
            registry = SchemaRegistries.connect(s.schemaRegistryUrl());
            schemaRegistryUrl = s.schemaRegistryUrl();
            running.push(registry);
            // a password in the URL (basic authentication) is never printed
            endpoints.put(
                    "Schema registry", s.schemaRegistryUrl().replaceFirst("//[^/@]*@", "//…@"));
        }

        Topics topics = Topics.create(registry, s.partitions());
        // the cluster's count, which an existing deployment's topics may have other than the flag
        int riskPartitions;
        try (Admin admin = Admin.create(kafkaConnection.map())) {
            List<String> created = TopicCreator.ensure(admin, topics.all());
            if (!created.isEmpty()) {
                out.println("Created topics: " + String.join(", ", created));
            }
            TopicCreator.checkCoPartitioned(admin, topics.coPartitioned());
            riskPartitions = TopicCreator.partitions(admin, topics.paymentRequests());
        }
        // a stream thread beyond one per partition would hold no task
        int streamThreads = Math.min(s.streamThreads(), riskPartitions);

        if (s.role().runsRisk()) {
            RulesetSource packagedSource = RulesetSource.packaged();
            CompiledRuleset packaged = RuleEngine.compile(packagedSource);
            releases =
                    new LiveReleases(
                            packaged,
                            s.currencyRates(),
                            RiskSettings.DEFAULTS.catalogue(),
                            trustedKeys);
            // on a fresh cluster the packaged ruleset decides: make it the first release, so that
            // the first rollback can go back to it
            try (RulesetReleases published =
                    new RulesetReleases(kafkaConnection, topics, releaseSigner, trustedKeys)) {
                published
                        .publishPackagedIfFirst(packagedSource)
                        .ifPresent(
                                r ->
                                        log.info(
                                                "published the packaged ruleset {} as the first"
                                                        + " release",
                                                r.getVersion()));
            }
            bindRefusals("ruleset", releases.rulesetRefusals());
            bindRefusals("model", releases.modelRefusals());
            risk =
                    StreamsRunner.create(
                            RISK_APPLICATION_ID,
                            RiskTopology.build(
                                    RiskSettings.DEFAULTS.withCurrencyRates(s.currencyRates()),
                                    topics,
                                    releases.scorer(),
                                    releases.stores(topics),
                                    riskPartitions),
                            kafkaConnection,
                            dataDir.resolve("streams"),
                            StreamsRunner.Guarantee.LOW_LATENCY,
                            streamThreads,
                            // write-back cache of the feature and pending stores: flushed at
                            // each commit, so a busy entity costs one store write per commit
                            Map.of(
                                    org.apache.kafka.streams.StreamsConfig
                                            .STATESTORE_CACHE_MAX_BYTES_CONFIG,
                                    64L * 1024 * 1024,
                                    // concurrent payments share produce requests: 1 ms a hop
                                    // buys several times less CPU per record
                                    org.apache.kafka.streams.StreamsConfig.producerPrefix(
                                            org.apache.kafka.clients.producer.ProducerConfig
                                                    .LINGER_MS_CONFIG),
                                    1));
            running.push(risk);
            bindStreamsMetrics(risk);
            // returns once the global stores are read to the end: the ruleset deployed last and
            // the registry's champion decide from the first payment on (none: rules alone)
            risk.start();
            endpoints.put(
                    "Risk topology",
                    RISK_APPLICATION_ID
                            + ", ruleset "
                            + releases.rulesetVersion()
                            + (releases.rulesetVersion().equals(packaged.version())
                                    ? " (packaged, " + packaged.ruleNames().size() + " rules)"
                                    : " (deployed)"));
        }

        if (s.role().runsLedger()) {
            ledger =
                    StreamsRunner.create(
                            LEDGER_APPLICATION_ID,
                            LedgerTopology.build(
                                    new LedgerSettings(
                                            s.authorizationValidity(),
                                            LedgerSettings.DEFAULTS.expiryScan()),
                                    topics),
                            kafkaConnection,
                            dataDir.resolve("streams"),
                            StreamsRunner.Guarantee.EXACTLY_ONCE,
                            streamThreads,
                            Map.of(
                                    // captures wait for the ledger's commit: 50 ms between
                                    // transactions instead of 10 costs them ~20 ms on average
                                    // and the broker a fifth of the transaction records
                                    org.apache.kafka.streams.StreamsConfig
                                            .COMMIT_INTERVAL_MS_CONFIG,
                                    50));
            running.push(ledger);
            bindStreamsMetrics(ledger);
            ledger.start();
            endpoints.put(
                    "Ledger topology",
                    LEDGER_APPLICATION_ID
                            + ", exactly-once, authorizations valid "
                            + s.authorizationValidity().toDays()
                            + " d");
        }

        if (s.role().runsReconciliation()) {
            reconciliation =
                    StreamsRunner.create(
                            RECONCILIATION_APPLICATION_ID,
                            ReconciliationTopology.build(
                                    ReconciliationSettings.forWindow(s.reconciliationWindow()),
                                    topics),
                            kafkaConnection,
                            dataDir.resolve("streams"),
                            StreamsRunner.Guarantee.EXACTLY_ONCE,
                            streamThreads,
                            Map.of(
                                    // nobody waits on reconciliation: one transaction a second,
                                    // records fetched and produced in batches
                                    org.apache.kafka.streams.StreamsConfig
                                            .COMMIT_INTERVAL_MS_CONFIG,
                                    1_000,
                                    org.apache.kafka.streams.StreamsConfig.consumerPrefix(
                                            org.apache.kafka.clients.consumer.ConsumerConfig
                                                    .FETCH_MIN_BYTES_CONFIG),
                                    64 * 1024,
                                    org.apache.kafka.streams.StreamsConfig.consumerPrefix(
                                            org.apache.kafka.clients.consumer.ConsumerConfig
                                                    .FETCH_MAX_WAIT_MS_CONFIG),
                                    250,
                                    org.apache.kafka.streams.StreamsConfig.producerPrefix(
                                            org.apache.kafka.clients.producer.ProducerConfig
                                                    .LINGER_MS_CONFIG),
                                    20));
            running.push(reconciliation);
            bindStreamsMetrics(reconciliation);
            reconciliation.start();
            SettlementImporter importer =
                    new SettlementImporter(kafkaConnection, topics, java.time.Clock.systemUTC());
            running.push(importer);
            SettlementInbox inbox =
                    SettlementInbox.start(
                            dataDir.resolve("settlements"), importer, Duration.ofSeconds(1));
            running.push(inbox);
            endpoints.put("Settlement drop folder", inbox.inbox().toString());
            endpoints.put(
                    "Reconciliation topology",
                    RECONCILIATION_APPLICATION_ID
                            + ", exactly-once, window "
                            + s.reconciliationWindow());
        }

        if (s.role().runsApi() || s.role().runsHistory()) {
            String jdbcUrl = s.databaseUrl();
            String user = s.databaseUser();
            String password = s.databasePassword();
            if (s.embeddedDatabase()) {
                out.println("Starting the embedded PostgreSQL …");
                EmbeddedDatabase db =
                        EmbeddedDatabase.start(dataDir.resolve("postgres"), s.databasePort());
                running.push(db);
                jdbcUrl = db.jdbcUrl();
                user = db.username();
                password = db.password();
                endpoints.put("PostgreSQL (embedded)", jdbcUrl + " user " + user);
            } else {
                endpoints.put("PostgreSQL", jdbcUrl);
            }
            database = new PaymentApi.DatabaseAddress(jdbcUrl, user, password);
        }

        if (s.role().runsHistory()) {
            readModels = ReadModels.start(database, kafkaConnection, topics, metrics);
            running.push(readModels);
            endpoints.put(
                    "Read models",
                    "payment history, decisions, links, labels, reconciliation items, audit trail"
                            + " (PostgreSQL)");
        }

        if (s.role().runsApi()) {
            String jdbcUrl = database.jdbcUrl();
            String user = database.user();
            String password = database.password();
            KafkaHealth kafkaHealth = kafkaHealthFor(kafkaConnection);
            StreamsRunner riskRunner = risk;
            StreamsRunner ledgerRunner = ledger;
            ReadModels projections = readModels;
            ListsOperations operators = new ListsOperations(kafkaConnection, topics);
            running.push(operators);
            api =
                    PaymentApi.start(
                            PaymentApi.Settings.builder(
                                            new InetSocketAddress(s.host(), s.port()), dataDir)
                                    .tls(tls)
                                    .instance(s.apiInstance())
                                    .decisionTimeout(s.decisionTimeout())
                                    .providerLatency(s.providerLatency())
                                    .tokenizationKey(s.tokenizationKey())
                                    .providerTimeout(s.providerTimeout())
                                    .webhooks(s.webhooks())
                                    .notifications(s.notifications())
                                    .maxInFlight(s.maxInFlight())
                                    .latencyTarget(s.latencyTarget())
                                    .currencyRates(s.currencyRates())
                                    .providers(s.providers())
                                    .settlementFetchAt(s.settlementFetchAt())
                                    .cancelUnknownAfter(s.cancelUnknownAfter())
                                    .build(),
                            new PaymentApi.DatabaseAddress(jdbcUrl, user, password),
                            kafkaConnection,
                            topics,
                            metrics,
                            () -> {
                                Map<String, Boolean> checks = new LinkedHashMap<>();
                                checks.put("kafka", kafkaHealth.reachable());
                                if (riskRunner != null) {
                                    checks.put("risk-topology", riskRunner.isHealthy());
                                }
                                if (ledgerRunner != null) {
                                    checks.put("ledger-topology", ledgerRunner.isHealthy());
                                }
                                if (projections != null) {
                                    checks.putAll(projections.readiness());
                                }
                                return checks;
                            },
                            operators);
            running.push(api);
            // the console's proposals and approvals (four eyes) on a small pool of their own
            org.fraudplatform.database.Database consoleDatabase =
                    org.fraudplatform.database.Database.connect(jdbcUrl, user, password, 2);
            running.push(consoleDatabase);
            ConsoleRules consoleRules =
                    new ConsoleRules(
                            kafkaConnection,
                            topics,
                            releaseSigner,
                            trustedKeys,
                            consoleDatabase.dataSource());
            running.push(consoleRules);
            api.console().rules(consoleRules);
            Map<String, String> featureDescriptions = new LinkedHashMap<>();
            for (org.fraudplatform.features.FeatureDefinition f :
                    RiskSettings.DEFAULTS.catalogue().features()) {
                featureDescriptions.put(f.name(), f.description());
            }
            api.console().features(featureDescriptions);
            ConsoleModels consoleModels =
                    new ConsoleModels(
                            kafkaConnection,
                            topics,
                            RiskSettings.DEFAULTS.catalogue(),
                            releaseSigner,
                            trustedKeys,
                            consoleDatabase.dataSource());
            running.push(consoleModels);
            api.console().models(consoleModels);
            String apiUrl = ApiExposure.url(s.host(), api.port(), api.https());
            if (tls != null) {
                endpoints.put("Payment API", apiUrl + " (certificate " + tls.describe() + ")");
                log.info("the API serves HTTPS with the certificate {}", tls.describe());
                java.time.Instant notAfter = tls.certificate().getNotAfter().toInstant();
                if (notAfter.isBefore(java.time.Instant.now().plus(Duration.ofDays(14)))) {
                    log.warn(
                            "the API's certificate expires on {}; the platform will refuse to"
                                    + " start with it after that: renew it",
                            notAfter);
                }
            } else if (s.exposure() == ApiExposure.PLAIN_HTTP_ALLOWED) {
                endpoints.put(
                        "Payment API", apiUrl + "  WARNING: " + ApiExposure.warning(s.host()));
                log.warn("the API serves {}", ApiExposure.warning(s.host()));
            } else {
                endpoints.put("Payment API", apiUrl);
            }
            endpoints.put(
                    "Analysts' console",
                    apiUrl
                            + "/console"
                            + (Files.exists(dataDir.resolve(PaymentApi.ADMIN_PASSWORD_FILE))
                                    ? " (user admin, password in "
                                            + dataDir.resolve(PaymentApi.ADMIN_PASSWORD_FILE)
                                            + ")"
                                    : ""));
            if (Files.exists(dataDir.resolve(PaymentApi.ADMIN_TOKEN_FILE))) {
                endpoints.put(
                        "Administrator's token",
                        dataDir.resolve(PaymentApi.ADMIN_TOKEN_FILE)
                                + " (for --token or FRAUD_TOKEN, and the operator routes)");
            }
            DemoMerchant.ensure(api, dataDir, out);
        }

        if (risk != null) {
            risk.awaitRunning(Duration.ofSeconds(120));
        }
        if (ledger != null) {
            ledger.awaitRunning(Duration.ofSeconds(120));
        }
        if (reconciliation != null) {
            reconciliation.awaitRunning(Duration.ofSeconds(120));
        }
        if (s.managementPortInUse() >= 0) {
            management =
                    ManagementServer.start(
                            new InetSocketAddress(s.host(), s.managementPortInUse()),
                            metrics,
                            this::liveness,
                            () -> readiness(kafkaHealthFor(kafkaConnection)));
            running.push(management);
            endpoints.put(
                    "Health and metrics",
                    ApiExposure.url(s.host(), management.port(), false)
                            + "/health/ready, /metrics");
        }
        out.printf(
                "Platform up in %.1f s (role %s):%n",
                (System.nanoTime() - started) / 1e9, s.role());
        endpoints.forEach((name, where) -> out.printf("  %-32s %s%n", name, where));
        out.println("Stop with Ctrl+C; data stays in " + dataDir + ".");
        out.flush();
    }

    /** {@code release_refusals_total{release, reason}}: what a watcher refused, by reason. */
    private void bindRefusals(String release, RefusalCounts counts) {
        for (ReleaseRefusal.Reason reason : ReleaseRefusal.Reason.values()) {
            io.micrometer.core.instrument.FunctionCounter.builder(
                            "release_refusals", counts, c -> c.get(reason))
                    .description(
                            "Releases this instance refused: unsigned, signed by an unknown key, a"
                                    + " signature that does not verify, or invalid (does not"
                                    + " decode, compile or fit the catalogue)")
                    .tag("release", release)
                    .tag("reason", reason.tag())
                    .register(metrics);
        }
    }

    /** The refusals counted so far of one kind of release ("ruleset", "model") and reason. */
    public double releaseRefusals(String release, ReleaseRefusal.Reason reason) {
        var counter =
                metrics.find("release_refusals")
                        .tag("release", release)
                        .tag("reason", reason.tag())
                        .functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private void bindStreamsMetrics(StreamsRunner runner) {
        io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics binder =
                new io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics(
                        runner.kafkaStreams(),
                        java.util.List.of(
                                io.micrometer.core.instrument.Tag.of(
                                        "application", runner.applicationId())));
        binder.bindTo(metrics);
        running.push(binder);
    }

    private KafkaHealth kafkaHealthFor(KafkaConnection bootstrap) {
        if (kafkaHealth == null) {
            kafkaHealth = new KafkaHealth(bootstrap, Duration.ofSeconds(1));
            running.push(kafkaHealth);
        }
        return kafkaHealth;
    }

    /** Fails only when a topology or projection of this role died: restart the process. */
    private Map<String, Boolean> liveness() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        if (readModels != null) {
            checks.putAll(readModels.liveness());
        }
        for (StreamsRunner runner : new StreamsRunner[] {risk, ledger, reconciliation}) {
            if (runner != null) {
                checks.put(
                        runner.applicationId(),
                        runner.state() != org.apache.kafka.streams.KafkaStreams.State.ERROR
                                && runner.state()
                                        != org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING);
            }
        }
        return checks;
    }

    /** Passes when the broker answers and every topology of this role is running. */
    private Map<String, Boolean> readiness(KafkaHealth kafka) {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("kafka", kafka.reachable());
        if (readModels != null) {
            checks.putAll(readModels.readiness());
        }
        for (StreamsRunner runner : new StreamsRunner[] {risk, ledger, reconciliation}) {
            if (runner != null) {
                checks.put(runner.applicationId(), runner.isHealthy());
            }
        }
        return checks;
    }

    /** The port of this role's own health and metrics endpoints, or -1 when it serves none. */
    public int managementPort() {
        return management == null ? -1 : management.port();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How this platform's clients connect to Kafka. */
    public KafkaConnection kafkaConnection() {
        return kafkaConnection;
    }

    /** Where the platform's Avro schemas are served (in process, or the external registry). */
    public String schemaRegistryUrl() {
        return schemaRegistryUrl;
    }

    /** Version of the ruleset deciding now, or null when this role runs no risk topology. */
    public String liveRulesetVersion() {
        return releases == null ? null : releases.rulesetVersion();
    }

    /** Version of the champion model scoring now, or null when none (or no risk topology). */
    public String liveModelVersion() {
        LoadedModel champion = releases == null ? null : releases.models().champion();
        return champion == null ? null : champion.version();
    }

    /** Version of the shadow model scoring now, or null when none. */
    public String shadowModelVersion() {
        LoadedModel shadow = releases == null ? null : releases.models().shadow();
        return shadow == null ? null : shadow.version();
    }

    /** The payment API, or null when this role runs none. */
    public PaymentApi api() {
        return api;
    }

    /** Where the API's PostgreSQL is, or null when this role runs no API. */
    public PaymentApi.DatabaseAddress databaseAddress() {
        return database;
    }

    /** The API's port, or -1 when this role runs no API. */
    public int apiPort() {
        return api == null ? -1 : api.port();
    }

    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            AutoCloseable part = running.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed", part, e);
            }
        }
    }
}
