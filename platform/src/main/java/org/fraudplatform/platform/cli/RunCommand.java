package org.fraudplatform.platform.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.PlatformSettings;
import org.fraudplatform.platform.Role;
import org.fraudplatform.workers.webhooks.WebhookSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud run}: starts the platform, embedded by default, external parts by URL. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the platform. With no options everything is embedded: a single-node Kafka"
                    + " broker (KRaft), PostgreSQL, a schema registry, the risk topology, the"
                    + " simulated payment provider and the HTTP API, with all state under"
                    + " --data-dir. Stopping and starting again keeps all data.",
            "Give --bootstrap-servers, --schema-registry-url and --database-url to use external"
                    + " ones instead, and --role to run one part per process."
        })
public final class RunCommand implements Callable<Integer> {

    private static volatile boolean running;

    @Option(
            names = "--data-dir",
            defaultValue = "data",
            description =
                    "Folder for all local state (broker logs, database, stream state, keys). Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(
            names = "--role",
            defaultValue = "all",
            description =
                    "What this process runs: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}")
    Role role;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description =
                    "Address the HTTP API and the embedded services listen on. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "HTTP API port. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description =
                    "PEM certificate chain of the API, its own certificate first, then any"
                            + " intermediates. With --tls-key the API serves HTTPS (TLS 1.2 and"
                            + " 1.3) on --port. A certificate that has expired, or a key that is not"
                            + " its own, stops the start.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description =
                    "The private key of --tls-cert: unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY), RSA"
                            + " or EC, in a file only the platform's user can read. Convert another"
                            + " format with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem")
    Path tlsKey;

    @Option(
            names = "--allow-plain-http",
            description =
                    "Serve plain HTTP on a --host that is not a loopback address. Without TLS the"
                            + " API otherwise refuses to start there; give this only when a"
                            + " TLS-terminating proxy in front of the API is the only way to it.")
    boolean allowPlainHttp;

    @Option(
            names = "--bootstrap-servers",
            description = "External Kafka cluster; without it an embedded broker runs.")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            description =
                    "Properties file with the connection settings the cluster of"
                            + " --bootstrap-servers asks of its clients (security.protocol, sasl.*,"
                            + " ssl.*, client.dns.lookup), applied to every producer, consumer,"
                            + " admin client and stream of this process. Anything else is refused.")
    Path kafkaConfig;

    @Option(
            names = "--management-port",
            defaultValue = "-1",
            description =
                    "Port of /health/live, /health/ready and /metrics (the JVM, the process, the"
                            + " Kafka Streams and client metrics of the role's topologies). By"
                            + " default a role without the API serves them on 9464 and a role"
                            + " with it on the API's --port; 0 picks a free port.")
    int managementPort;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Port of the embedded broker. Default: ${DEFAULT-VALUE}")
    int kafkaPort;

    @Option(
            names = "--schema-registry-url",
            description =
                    "External schema registry (Confluent REST API); without it an in-process registry runs.")
    String schemaRegistryUrl;

    @Option(
            names = "--schema-registry-port",
            defaultValue = "8081",
            description =
                    "Port on which the in-process registry is served. Default: ${DEFAULT-VALUE}")
    int schemaRegistryPort;

    @Option(
            names = "--database-url",
            description = "External PostgreSQL JDBC URL; without it an embedded PostgreSQL runs.")
    String databaseUrl;

    @Option(
            names = "--database-user",
            defaultValue = "fraud",
            description = "Database user. Default: ${DEFAULT-VALUE}")
    String databaseUser;

    @Option(
            names = "--database-password",
            defaultValue = "",
            description = "Database password (prefer FRAUD_DATABASE_PASSWORD).")
    String databasePassword;

    @Option(
            names = "--database-port",
            defaultValue = "15432",
            description = "Port of the embedded PostgreSQL. Default: ${DEFAULT-VALUE}")
    int databasePort;

    @Option(
            names = "--partitions",
            description =
                    "Partitions of the payment topics when the platform creates them. Default: 1 with"
                            + " the embedded broker (one machine: every entity of a payment is on its"
                            + " request's partition and answers in place), 6 against a cluster"
                            + " (--bootstrap-servers), where instances share the partitions.")
    Integer partitions;

    @Option(
            names = "--api-instance",
            defaultValue = "0",
            description =
                    "This API instance's number; it owns that partition of payments.decisions for its replies. Default: ${DEFAULT-VALUE}")
    int apiInstance;

    @Option(
            names = "--decision-timeout",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description =
                    "How long the API waits for a risk decision before it answers 'pending'. A payment answered pending keeps waiting 60 times as long; then it fails with no_risk_decision, and nothing is charged. Default: ${DEFAULT-VALUE}")
    Duration decisionTimeout;

    @Option(
            names = "--max-in-flight",
            defaultValue = "" + PlatformSettings.DEFAULT_MAX_IN_FLIGHT,
            description =
                    "Payments and money movements the API works on at once; beyond it a request is"
                            + " refused at once with 503 and Retry-After (nothing stored, retry"
                            + " with the same Idempotency-Key), so accepted requests keep a bounded"
                            + " latency under overload. Default: ${DEFAULT-VALUE}")
    int maxInFlight;

    @Option(
            names = "--latency-target",
            defaultValue = "500ms",
            converter = DurationConverter.class,
            description =
                    "The bound on work in flight adapts (up to --max-in-flight) so that accepted"
                            + " requests take about this long on average; 0s keeps it fixed. Set"
                            + " it above the payment provider's usual latency. Default:"
                            + " ${DEFAULT-VALUE}")
    Duration latencyTarget;

    @picocli.CommandLine.Mixin CurrencyRatesOption currencyRates = new CurrencyRatesOption();

    @Option(
            names = "--otlp-endpoint",
            paramLabel = "URL",
            description =
                    "Send traces (one per payment across the roles: the API's request, the risk"
                            + " decision, the provider call, the ledger's commands; W3C"
                            + " traceparent on HTTP and on Kafka records) to this OpenTelemetry"
                            + " collector's OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318."
                            + " Default: no tracing.")
    java.net.URI otlpEndpoint;

    @Option(
            names = "--trace-sample-ratio",
            defaultValue = "1.0",
            description =
                    "The share of the traces begun here that are kept (0 to 1); a request that"
                            + " brings its own traceparent keeps its caller's choice. Default:"
                            + " ${DEFAULT-VALUE}")
    double traceSampleRatio;

    @Option(
            names = "--stream-threads",
            defaultValue = "2",
            description =
                    "Kafka Streams threads of each topology (risk, ledger, reconciliation), at most"
                            + " one per partition. Default: ${DEFAULT-VALUE}")
    int streamThreads;

    @Option(
            names = "--tokenization-key",
            description =
                    "Base64 HMAC key for card tokens (prefer FRAUD_TOKENIZATION_KEY); without it one is generated once into the data folder.")
    String tokenizationKey;

    @Option(
            names = "--provider-latency",
            defaultValue = "20ms",
            converter = DurationConverter.class,
            description =
                    "Median answer time of the simulated payment provider. Default: ${DEFAULT-VALUE}")
    Duration providerLatency;

    @Option(
            names = "--authorization-validity",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description =
                    "How long an authorization can be captured before the ledger expires it and releases the rest. Default: ${DEFAULT-VALUE}")
    Duration authorizationValidity;

    @Option(
            names = "--providers",
            paramLabel = "FILE",
            description =
                    "Real payment providers (Stripe, Adyen) and the routes over them and the"
                            + " simulated providers: 'provider.NAME.FIELD = value' and 'route ="
                            + " METHOD CURRENCY -> NAME, NAME' lines; secrets as env:NAME or"
                            + " file:PATH. Default: the two simulated providers only.")
    Path providersFile;

    @Option(
            names = "--settlement-fetch-at",
            paramLabel = "HH:MM",
            description =
                    "When each provider's previous day of settlement is fetched, UTC: the"
                            + " simulated providers' and each connector's. Default: the providers"
                            + " file's settlement-fetch-at line, else 04:00")
    String settlementFetchAt;

    @Option(
            names = "--provider-timeout",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description =
                    "After this a provider call counts as UNKNOWN: the payment stays pending until a status query resolves it; it is never authorized twice. Default: ${DEFAULT-VALUE}")
    Duration providerTimeout;

    @Option(
            names = "--cancel-unknown-after",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description =
                    "A payment whose outcome its provider cannot tell (Adyen until its"
                            + " notification arrives) is cancelled there after this, and fails with"
                            + " nothing charged. Default: ${DEFAULT-VALUE}")
    Duration cancelUnknownAfter;

    @Option(
            names = "--reconciliation-window",
            defaultValue = "2d",
            converter = DurationConverter.class,
            description =
                    "How long a ledger movement waits for its settlement row (and a row for its ledger movement) before it is an exception; a later arrival still matches it. Default: ${DEFAULT-VALUE}")
    Duration reconciliationWindow;

    @Option(
            names = "--webhook-first-retry",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "Pause after a webhook delivery's first failed attempt; each further pause doubles (up to 1 h), half of it random. Default: ${DEFAULT-VALUE}")
    Duration webhookFirstRetry;

    @Option(
            names = "--webhook-attempts",
            defaultValue = "8",
            description =
                    "Attempts of a webhook delivery before it fails and goes to webhooks.dlq (then it can be re-sent). Default: ${DEFAULT-VALUE}")
    int webhookAttempts;

    @Option(
            names = "--webhooks-allow-private",
            description =
                    "Let webhook endpoints be plain http and have loopback, private (10/8,"
                            + " 172.16/12, 192.168/16, fc00::/7) and carrier-grade NAT addresses,"
                            + " for local development and tests. Without it only https endpoints"
                            + " whose every address is public are registered and sent to;"
                            + " link-local and cloud metadata addresses are refused either way.")
    boolean webhooksAllowPrivate;

    @Option(
            names = "--smtp-host",
            description =
                    "SMTP server for customer e-mails. Default: none; e-mails are written to notifications.log like SMS and push.")
    String smtpHost;

    @Option(
            names = "--smtp-port",
            defaultValue = "25",
            description = "Its port. Default: ${DEFAULT-VALUE}")
    int smtpPort;

    @Option(
            names = "--mail-from",
            defaultValue = "payments@fraud-platform.invalid",
            description = "Sender address of customer e-mails. Default: ${DEFAULT-VALUE}")
    String mailFrom;

    @Option(
            names = "--notifications-per-hour",
            defaultValue = "10",
            description =
                    "At most this many messages to one customer address or phone in an hour; more are recorded as rate limited. Default: ${DEFAULT-VALUE}")
    int notificationsPerHour;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description =
                    "The release-signing key this platform signs its own releases with (the"
                            + " packaged ruleset at the first start, rollbacks from the console):"
                            + " Ed25519, PKCS#8 PEM, its public key beside it as FILE.pub; created"
                            + " with it when absent. Default: <data-dir>/release-signing-key")
    Path signingKey;

    @Option(
            names = "--release-public-key",
            paramLabel = "FILE",
            description =
                    "A public key whose ruleset and model releases this instance takes up (PEM,"
                            + " X.509); repeat for several. Anything unsigned or signed otherwise"
                            + " is refused, and the live ruleset and models stay. Default:"
                            + " <data-dir>/release-signing-key.pub")
    java.util.List<Path> releasePublicKeys;

    @Override
    public Integer call() throws Exception {
        Platform platform = Platform.start(settings(), System.out);
        stopOnSignal(platform);
        running = true;
        return 0;
    }

    /**
     * Ctrl+C (SIGINT) and SIGTERM stop the platform in reverse order of start before the JVM exits.
     * A shutdown hook alone is not enough: the JVM runs all hooks at once, and the embedded
     * PostgreSQL registers its own, which would stop the database while the API still writes to it.
     * So the signal stops the platform first, and only then exits (running the hooks, which find
     * everything stopped). The hook stays for every other way the JVM ends.
     */
    private static void stopOnSignal(Platform platform) {
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "shutdown"));
        for (String name : java.util.List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(
                        new sun.misc.Signal(name),
                        signal -> {
                            platform.close();
                            System.exit(128 + signal.getNumber());
                        });
            } catch (IllegalArgumentException e) {
                // the signal is not available here (or the JVM uses it): the hook stops the
                // platform
            }
        }
    }

    /** The parsed options as validated settings; throws with every problem when invalid. */
    public PlatformSettings settings() {
        PlatformSettings.Builder settings =
                PlatformSettings.builder(dataDir)
                        .role(role)
                        .host(host)
                        .port(port)
                        .bootstrapServers(blankToNull(bootstrapServers))
                        .kafkaPort(kafkaPort)
                        .schemaRegistryUrl(blankToNull(schemaRegistryUrl))
                        .schemaRegistryPort(schemaRegistryPort)
                        .databaseUrl(blankToNull(databaseUrl))
                        .databaseUser(databaseUser)
                        .databasePassword(databasePassword)
                        .databasePort(databasePort)
                        .apiInstance(apiInstance)
                        .decisionTimeout(decisionTimeout)
                        .streamThreads(streamThreads)
                        .tokenizationKey(blankToNull(tokenizationKey))
                        .providerLatency(providerLatency)
                        .authorizationValidity(authorizationValidity)
                        .providerTimeout(providerTimeout)
                        .cancelUnknownAfter(cancelUnknownAfter)
                        .reconciliationWindow(reconciliationWindow)
                        .webhooks(
                                new WebhookSettings(
                                        webhookFirstRetry,
                                        webhookFirstRetry.compareTo(Duration.ofHours(1)) > 0
                                                ? webhookFirstRetry
                                                : Duration.ofHours(1),
                                        webhookAttempts,
                                        WebhookSettings.DEFAULTS.timeout(),
                                        webhooksAllowPrivate))
                        .notifications(
                                new org.fraudplatform.workers.notifications.NotificationSettings(
                                        blankToNull(smtpHost),
                                        smtpPort,
                                        mailFrom,
                                        notificationsPerHour))
                        .maxInFlight(maxInFlight)
                        .latencyTarget(latencyTarget)
                        .currencyRates(currencyRates.rates())
                        .managementPort(managementPort)
                        .releaseKeys(
                                new PlatformSettings.ReleaseKeyFiles(
                                        signingKey,
                                        releasePublicKeys == null
                                                ? java.util.List.of()
                                                : releasePublicKeys))
                        .tlsCertificate(blankToNull(tlsCert))
                        .tlsKey(blankToNull(tlsKey))
                        .allowPlainHttp(allowPlainHttp)
                        .kafkaConfig(kafkaConfig)
                        .providers(providers())
                        .settlementFetchAt(settlementFetchAt())
                        .traces(new PlatformSettings.Traces(otlpEndpoint, traceSampleRatio));
        if (partitions != null) {
            settings.partitions(partitions); // else the default for an embedded or a given broker
        }
        return settings.build();
    }

    /**
     * The providers file of {@code --providers}, read and checked whole, its fetch time that of
     * {@code --settlement-fetch-at} when given; null without one.
     */
    private org.fraudplatform.providers.connectors.ProviderConfig providers() {
        java.time.LocalTime fetchAt = fetchAtFlag();
        org.fraudplatform.providers.connectors.ProviderConfig config = providersFile();
        return fetchAt == null || config == null ? config : config.withSettlementFetchAt(fetchAt);
    }

    /**
     * When the simulated providers' settlement is fetched: {@code --settlement-fetch-at}, else the
     * providers file's time, else 04:00 UTC.
     */
    private java.time.LocalTime settlementFetchAt() {
        java.time.LocalTime fetchAt = fetchAtFlag();
        if (fetchAt != null) {
            return fetchAt;
        }
        org.fraudplatform.providers.connectors.ProviderConfig config = providersFile();
        return config == null
                ? org.fraudplatform.providers.connectors.ProviderConfig.DEFAULT_FETCH_AT
                : config.settlementFetchAt();
    }

    private java.time.LocalTime fetchAtFlag() {
        java.time.LocalTime fetchAt = null;
        String at = settlementFetchAt == null ? null : settlementFetchAt.strip();
        if (at != null && !at.isEmpty()) {
            if (!at.matches("\\d{2}:\\d{2}")) {
                throw new IllegalArgumentException(
                        "--settlement-fetch-at: '" + at + "' is not a time of day HH:MM (UTC)");
            }
            try {
                fetchAt = java.time.LocalTime.parse(at);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--settlement-fetch-at: '" + at + "' is not a time of day HH:MM (UTC)");
            }
        }
        return fetchAt;
    }

    private org.fraudplatform.providers.connectors.ProviderConfig providersFile() {
        Path file = blankToNull(providersFile);
        if (file == null) {
            return null;
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--providers: no such file: " + file);
        }
        try {
            return org.fraudplatform.providers.connectors.ProviderConfig.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--providers: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("--providers: cannot read " + file, e);
        }
    }

    /** True once {@code run} has started the platform; the JVM then stays up until stopped. */
    static boolean keepsRunning() {
        return running;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Path blankToNull(Path p) {
        return p == null || p.toString().isBlank() ? null : p;
    }
}
