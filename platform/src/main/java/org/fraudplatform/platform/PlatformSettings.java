package org.fraudplatform.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fraudplatform.runtime.KafkaConnection;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.workers.webhooks.WebhookSettings;

/**
 * Every setting of {@code fraud run}, typed and validated in one place. Null for an external
 * service means "run it embedded". Built by name with {@link #builder(Path)}, which starts from the
 * defaults of {@code fraud run}; {@link #toBuilder()} copies settings to change some of them.
 *
 * <p>The API serves HTTPS with {@code tlsCertificate} and {@code tlsKey} (both or neither; the
 * files are read and checked at start), else plain HTTP, which a role with the API serves on a
 * non-loopback {@code host} only with {@code allowPlainHttp} ({@link ApiExposure}).
 */
public record PlatformSettings(
        Path dataDir,
        Role role,
        String host,
        int port,
        String bootstrapServers,
        int kafkaPort,
        String schemaRegistryUrl,
        int schemaRegistryPort,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePort,
        int partitions,
        int apiInstance,
        Duration decisionTimeout,
        int streamThreads,
        String tokenizationKey,
        Duration providerLatency,
        Duration authorizationValidity,
        Duration providerTimeout,
        Duration reconciliationWindow,
        WebhookSettings webhooks,
        org.fraudplatform.workers.notifications.NotificationSettings notifications,
        int maxInFlight,
        Duration latencyTarget,
        CurrencyRates currencyRates,
        int managementPort,
        ReleaseKeyFiles releaseKeys,
        Path tlsCertificate,
        Path tlsKey,
        boolean allowPlainHttp,
        Path kafkaConfig,
        org.fraudplatform.providers.connectors.ProviderConfig providers,
        java.time.LocalTime settlementFetchAt,
        Duration cancelUnknownAfter,
        Traces traces) {

    /**
     * Where the spans go: an OpenTelemetry collector's OTLP/HTTP endpoint, or nowhere.
     *
     * @param otlpEndpoint the collector's base URL (spans to {@code /v1/traces} under it); null:
     *     tracing off
     * @param sampleRatio the share of the traces begun here that are kept; a caller's {@code
     *     traceparent} keeps its own choice
     */
    public record Traces(java.net.URI otlpEndpoint, double sampleRatio) {

        /** Tracing off: no span is recorded, no trace context travels. */
        public static final Traces OFF = new Traces(null, 1.0);

        public boolean enabled() {
            return otlpEndpoint != null;
        }
    }

    /**
     * Where the release-signing key pair and the public keys of trusted release signers are.
     *
     * @param signingKey the private key the platform signs its own releases with (the packaged
     *     ruleset at the first start, the console's rollbacks), created with its {@code .pub} when
     *     absent; null for {@code <data-dir>/release-signing-key}
     * @param publicKeys the keys whose releases a scoring instance takes up; empty for {@code
     *     <data-dir>/release-signing-key.pub}
     */
    public record ReleaseKeyFiles(Path signingKey, List<Path> publicKeys) {

        /** The pair in the data folder, trusting its own public key. */
        public static final ReleaseKeyFiles DATA_FOLDER = new ReleaseKeyFiles(null, List.of());

        public ReleaseKeyFiles {
            publicKeys = List.copyOf(publicKeys);
        }

        public Path signingKeyIn(Path dataDir) {
            return signingKey != null
                    ? signingKey
                    : dataDir.resolve(org.fraudplatform.risk.signing.ReleaseKeys.PRIVATE_KEY_FILE);
        }

        public List<Path> publicKeysIn(Path dataDir) {
            return !publicKeys.isEmpty()
                    ? publicKeys
                    : List.of(
                            org.fraudplatform.risk.signing.ReleaseKeys.publicKeyFile(
                                    dataDir.resolve(
                                            org.fraudplatform.risk.signing.ReleaseKeys
                                                    .PRIVATE_KEY_FILE)));
        }
    }

    /**
     * {@link #managementPort()} when none is given: a role without the API serves health and
     * metrics on {@link ManagementServer#DEFAULT_PORT}, a role with it on the API's port.
     */
    public static final int AUTO_MANAGEMENT_PORT = -1;

    /** Payments and money movements the API works on at once, at most, before it answers 503. */
    public static final int DEFAULT_MAX_IN_FLIGHT =
            org.fraudplatform.api.PaymentApi.Settings.DEFAULT_MAX_IN_FLIGHT;

    /** The mean latency the bound on work in flight adapts to keep accepted requests at. */
    public static final Duration DEFAULT_LATENCY_TARGET =
            org.fraudplatform.api.PaymentApi.Settings.DEFAULT_LATENCY_TARGET;

    /**
     * How this platform's Kafka clients connect to {@code bootstrapServers}: with the settings of
     * {@link #kafkaConfig()} when there is one, else plainly (the embedded broker).
     */
    public KafkaConnection kafkaConnection(String bootstrapServers) {
        return kafkaConfig == null
                ? KafkaConnection.plain(bootstrapServers)
                : KafkaConnection.of(bootstrapServers, kafkaConfig);
    }

    /** These settings with the given provider connectors and routes. */
    public PlatformSettings withProviders(
            org.fraudplatform.providers.connectors.ProviderConfig config) {
        return toBuilder().providers(config).build();
    }

    /** These settings with a fixed bound on the work in flight (no latency target). */
    public PlatformSettings withMaxInFlight(int bound) {
        return toBuilder().maxInFlight(bound).latencyTarget(Duration.ZERO).build();
    }

    /**
     * Settings with everything embedded under {@code dataDir} and every other setting at the
     * default of {@code fraud run}, to be changed by name before {@link Builder#build()}.
     */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A builder holding these settings, to build a copy with some of them changed. */
    public Builder toBuilder() {
        return new Builder(dataDir)
                .role(role)
                .host(host)
                .port(port)
                .bootstrapServers(bootstrapServers)
                .kafkaPort(kafkaPort)
                .schemaRegistryUrl(schemaRegistryUrl)
                .schemaRegistryPort(schemaRegistryPort)
                .databaseUrl(databaseUrl)
                .databaseUser(databaseUser)
                .databasePassword(databasePassword)
                .databasePort(databasePort)
                .partitions(partitions)
                .apiInstance(apiInstance)
                .decisionTimeout(decisionTimeout)
                .streamThreads(streamThreads)
                .tokenizationKey(tokenizationKey)
                .providerLatency(providerLatency)
                .authorizationValidity(authorizationValidity)
                .providerTimeout(providerTimeout)
                .reconciliationWindow(reconciliationWindow)
                .webhooks(webhooks)
                .notifications(notifications)
                .maxInFlight(maxInFlight)
                .latencyTarget(latencyTarget)
                .currencyRates(currencyRates)
                .managementPort(managementPort)
                .releaseKeys(releaseKeys)
                .tlsCertificate(tlsCertificate)
                .tlsKey(tlsKey)
                .allowPlainHttp(allowPlainHttp)
                .kafkaConfig(kafkaConfig)
                .providers(providers)
                .settlementFetchAt(settlementFetchAt)
                .cancelUnknownAfter(cancelUnknownAfter)
                .traces(traces);
    }

    /**
     * {@link PlatformSettings} by name. Each setting starts at the default of {@code fraud run}
     * (null: the service embedded, the option not given); {@link #build()} validates them all at
     * once in the record's constructor.
     */
    public static final class Builder {
        private final Path dataDir;
        private Role role = Role.ALL;
        private String host = "127.0.0.1";
        private int port = 8080;
        private String bootstrapServers;
        private int kafkaPort = 9092;
        private String schemaRegistryUrl;
        private int schemaRegistryPort = 8081;
        private String databaseUrl;
        private String databaseUser = "fraud";
        private String databasePassword = "";
        private int databasePort = 15432;
        private Integer partitions;
        private int apiInstance;
        private Duration decisionTimeout = Duration.ofSeconds(2);
        private int streamThreads = 2;
        private String tokenizationKey;
        private Duration providerLatency = Duration.ofMillis(20);
        private Duration authorizationValidity = Duration.ofDays(7);
        private Duration providerTimeout = Duration.ofSeconds(5);
        private Duration reconciliationWindow = Duration.ofDays(2);
        private WebhookSettings webhooks = WebhookSettings.DEFAULTS;
        private org.fraudplatform.workers.notifications.NotificationSettings notifications =
                org.fraudplatform.workers.notifications.NotificationSettings.DEFAULTS;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration latencyTarget = DEFAULT_LATENCY_TARGET;
        private CurrencyRates currencyRates;
        private int managementPort = AUTO_MANAGEMENT_PORT;
        private ReleaseKeyFiles releaseKeys = ReleaseKeyFiles.DATA_FOLDER;
        private Path tlsCertificate;
        private Path tlsKey;
        private boolean allowPlainHttp;
        private Path kafkaConfig;
        private org.fraudplatform.providers.connectors.ProviderConfig providers;
        private java.time.LocalTime settlementFetchAt =
                org.fraudplatform.providers.connectors.ProviderConfig.DEFAULT_FETCH_AT;
        private Duration cancelUnknownAfter =
                org.fraudplatform.api.PaymentApi.Settings.DEFAULT_CANCEL_UNKNOWN_AFTER;
        private Traces traces = Traces.OFF;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder role(Role role) {
            this.role = role;
            return this;
        }

        /** The address the API (or the management endpoints) listens on. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The API's port; 0 for a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The Kafka cluster; null to run a broker embedded. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** The embedded broker's port. */
        public Builder kafkaPort(int kafkaPort) {
            this.kafkaPort = kafkaPort;
            return this;
        }

        /** The schema registry; null to run one embedded. */
        public Builder schemaRegistryUrl(String schemaRegistryUrl) {
            this.schemaRegistryUrl = schemaRegistryUrl;
            return this;
        }

        /** The embedded schema registry's port. */
        public Builder schemaRegistryPort(int schemaRegistryPort) {
            this.schemaRegistryPort = schemaRegistryPort;
            return this;
        }

        /** The PostgreSQL database (JDBC URL); null to run one embedded. */
        public Builder databaseUrl(String databaseUrl) {
            this.databaseUrl = databaseUrl;
            return this;
        }

        public Builder databaseUser(String databaseUser) {
            this.databaseUser = databaseUser;
            return this;
        }

        public Builder databasePassword(String databasePassword) {
            this.databasePassword = databasePassword;
            return this;
        }

        /** The embedded database's port. */
        public Builder databasePort(int databasePort) {
            this.databasePort = databasePort;
            return this;
        }

        /**
         * Partitions of every topic; when not set, 1 on the embedded broker and 6 on a cluster
         * given with {@link #bootstrapServers(String)}.
         */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder apiInstance(int apiInstance) {
            this.apiInstance = apiInstance;
            return this;
        }

        public Builder decisionTimeout(Duration decisionTimeout) {
            this.decisionTimeout = decisionTimeout;
            return this;
        }

        public Builder streamThreads(int streamThreads) {
            this.streamThreads = streamThreads;
            return this;
        }

        /** The deployment's tokenization key; null to use the one in the data folder. */
        public Builder tokenizationKey(String tokenizationKey) {
            this.tokenizationKey = tokenizationKey;
            return this;
        }

        public Builder providerLatency(Duration providerLatency) {
            this.providerLatency = providerLatency;
            return this;
        }

        public Builder authorizationValidity(Duration authorizationValidity) {
            this.authorizationValidity = authorizationValidity;
            return this;
        }

        public Builder providerTimeout(Duration providerTimeout) {
            this.providerTimeout = providerTimeout;
            return this;
        }

        public Builder reconciliationWindow(Duration reconciliationWindow) {
            this.reconciliationWindow = reconciliationWindow;
            return this;
        }

        public Builder webhooks(WebhookSettings webhooks) {
            this.webhooks = webhooks;
            return this;
        }

        public Builder notifications(
                org.fraudplatform.workers.notifications.NotificationSettings notifications) {
            this.notifications = notifications;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** The latency the bound on work in flight adapts to; zero for a fixed bound. */
        public Builder latencyTarget(Duration latencyTarget) {
            this.latencyTarget = latencyTarget;
            return this;
        }

        /** The exchange rates; when not set, the packaged ones. */
        public Builder currencyRates(CurrencyRates currencyRates) {
            this.currencyRates = currencyRates;
            return this;
        }

        /** The management endpoints' port, or {@link #AUTO_MANAGEMENT_PORT}. */
        public Builder managementPort(int managementPort) {
            this.managementPort = managementPort;
            return this;
        }

        public Builder releaseKeys(ReleaseKeyFiles releaseKeys) {
            this.releaseKeys = releaseKeys;
            return this;
        }

        /** The certificate chain (PEM) the API serves HTTPS with; null for plain HTTP. */
        public Builder tlsCertificate(Path tlsCertificate) {
            this.tlsCertificate = tlsCertificate;
            return this;
        }

        /** The private key (PEM) of {@link #tlsCertificate(Path)}. */
        public Builder tlsKey(Path tlsKey) {
            this.tlsKey = tlsKey;
            return this;
        }

        public Builder allowPlainHttp(boolean allowPlainHttp) {
            this.allowPlainHttp = allowPlainHttp;
            return this;
        }

        /** The Kafka client settings for the cluster; null to connect plainly. */
        public Builder kafkaConfig(Path kafkaConfig) {
            this.kafkaConfig = kafkaConfig;
            return this;
        }

        /** The provider connectors and routes; null for the simulated providers only. */
        public Builder providers(org.fraudplatform.providers.connectors.ProviderConfig providers) {
            this.providers = providers;
            return this;
        }

        /**
         * When the previous day's settlement of the simulated providers is fetched (UTC); the
         * connectors' follows the providers file.
         */
        public Builder settlementFetchAt(java.time.LocalTime settlementFetchAt) {
            this.settlementFetchAt = settlementFetchAt;
            return this;
        }

        /**
         * How long a payment may stay pending with a provider that cannot tell its outcome before
         * the authorization is cancelled there and the payment failed.
         */
        public Builder cancelUnknownAfter(Duration cancelUnknownAfter) {
            this.cancelUnknownAfter = cancelUnknownAfter;
            return this;
        }

        /** Where the spans go ({@link Traces#OFF}: nowhere). */
        public Builder traces(Traces traces) {
            this.traces = traces;
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming every invalid setting
         */
        public PlatformSettings build() {
            return new PlatformSettings(
                    dataDir,
                    role,
                    host,
                    port,
                    bootstrapServers,
                    kafkaPort,
                    schemaRegistryUrl,
                    schemaRegistryPort,
                    databaseUrl,
                    databaseUser,
                    databasePassword,
                    databasePort,
                    partitions != null ? partitions : (bootstrapServers == null ? 1 : 6),
                    apiInstance,
                    decisionTimeout,
                    streamThreads,
                    tokenizationKey,
                    providerLatency,
                    authorizationValidity,
                    providerTimeout,
                    reconciliationWindow,
                    webhooks,
                    notifications,
                    maxInFlight,
                    latencyTarget,
                    currencyRates != null ? currencyRates : CurrencyRates.packaged(),
                    managementPort,
                    releaseKeys,
                    tlsCertificate,
                    tlsKey,
                    allowPlainHttp,
                    kafkaConfig,
                    providers,
                    settlementFetchAt,
                    cancelUnknownAfter,
                    traces);
        }
    }

    public PlatformSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(decisionTimeout, "decisionTimeout");
        Objects.requireNonNull(providerLatency, "providerLatency");
        Objects.requireNonNull(authorizationValidity, "authorizationValidity");
        Objects.requireNonNull(providerTimeout, "providerTimeout");
        Objects.requireNonNull(reconciliationWindow, "reconciliationWindow");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(currencyRates, "currencyRates");
        Objects.requireNonNull(releaseKeys, "releaseKeys");
        Objects.requireNonNull(traces, "traces");
        List<String> problems = new ArrayList<>();
        if (!(traces.sampleRatio() >= 0 && traces.sampleRatio() <= 1)) {
            problems.add(
                    "--trace-sample-ratio must be between 0 and 1, was " + traces.sampleRatio());
        }
        if (traces.enabled()
                && !java.util.Set.of("http", "https").contains(traces.otlpEndpoint().getScheme())) {
            problems.add(
                    "--otlp-endpoint must be an http or https URL, was " + traces.otlpEndpoint());
        }
        checkPort(problems, "--port", port);
        checkPort(problems, "--kafka-port", kafkaPort);
        checkPort(problems, "--schema-registry-port", schemaRegistryPort);
        checkPort(problems, "--database-port", databasePort);
        if (managementPort != AUTO_MANAGEMENT_PORT) {
            checkPort(problems, "--management-port", managementPort);
        }
        if (partitions < 1 || partitions > 1000) {
            problems.add("--partitions must be between 1 and 1000, was " + partitions);
        }
        if (apiInstance < 0 || apiInstance >= partitions) {
            problems.add(
                    "--api-instance must be between 0 and --partitions - 1 ("
                            + (partitions - 1)
                            + "), was "
                            + apiInstance);
        }
        if (decisionTimeout.isNegative() || decisionTimeout.isZero()) {
            problems.add("--decision-timeout must be positive");
        }
        if (providerTimeout.isNegative() || providerTimeout.isZero()) {
            problems.add("--provider-timeout must be positive");
        }
        if (authorizationValidity.isNegative() || authorizationValidity.isZero()) {
            problems.add("--authorization-validity must be positive");
        }
        if (cancelUnknownAfter == null
                || cancelUnknownAfter.compareTo(providerTimeout.multipliedBy(2)) <= 0) {
            problems.add(
                    "--cancel-unknown-after must be longer than twice --provider-timeout (when a"
                            + " pending payment is first asked about)");
        }
        if (reconciliationWindow.isNegative()) {
            problems.add("--reconciliation-window must not be negative");
        }
        Objects.requireNonNull(latencyTarget, "latencyTarget");
        if (latencyTarget.isNegative()) {
            problems.add("--latency-target must not be negative");
        }
        if (maxInFlight < 1) {
            problems.add("--max-in-flight must be at least 1, was " + maxInFlight);
        }
        if (streamThreads < 1) {
            problems.add("--stream-threads must be at least 1");
        }
        if (tokenizationKey != null) {
            // a key given explicitly is a deployment's secret: never an example or a password
            problems.addAll(
                    org.fraudplatform.api.tokenization.TokenizationKey.problemsOfConfigured(
                            tokenizationKey));
        }
        if (kafkaConfig != null) {
            if (bootstrapServers == null) {
                problems.add(
                        "--kafka-config is for a cluster given with --bootstrap-servers (the"
                                + " embedded broker takes plain connections)");
            } else {
                try {
                    KafkaConnection.of(bootstrapServers, kafkaConfig);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (role != Role.ALL) {
            List<String> missing = new ArrayList<>();
            if (bootstrapServers == null) {
                missing.add("--bootstrap-servers");
            }
            if (schemaRegistryUrl == null) {
                missing.add("--schema-registry-url");
            }
            if (databaseUrl == null && (role.runsApi() || role.runsHistory())) {
                missing.add("--database-url");
            }
            if (!missing.isEmpty()) {
                problems.add(
                        "--role "
                                + role
                                + " runs one part of a deployment and shares the cluster's"
                                + " services: give "
                                + String.join(", ", missing)
                                + " (only --role all embeds them)");
            }
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            problems.add(
                    "--tls-cert and --tls-key go together: give both (the certificate chain and"
                            + " its private key, PEM) to serve HTTPS, or neither");
        }
        if (role.runsApi()) {
            try {
                // the fields are not set yet in a compact constructor: its parameters are read
                if (exposureOf(host, tlsCertificate != null && tlsKey != null, allowPlainHttp)
                        == ApiExposure.REFUSED) {
                    problems.add(ApiExposure.refusal(host));
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void checkPort(List<String> problems, String name, int port) {
        if (port < 0 || port > 65535) {
            problems.add(name + " must be between 0 and 65535, was " + port);
        }
    }

    /** Whether the API serves HTTPS. */
    public boolean tls() {
        return tlsCertificate != null && tlsKey != null;
    }

    /**
     * How the API meets the network on {@link #host()}.
     *
     * @throws IllegalArgumentException when the host is not an address or a name this machine
     *     resolves
     */
    public ApiExposure exposure() {
        return exposureOf(host, tls(), allowPlainHttp);
    }

    private static ApiExposure exposureOf(String host, boolean tls, boolean allowPlainHttp) {
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + " cannot be resolved", e);
        }
        return ApiExposure.of(address, tls, allowPlainHttp);
    }

    public boolean embeddedKafka() {
        return bootstrapServers == null;
    }

    public boolean embeddedRegistry() {
        return schemaRegistryUrl == null;
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    /** Where this role serves its management endpoints, or -1 when it serves none of its own. */
    public int managementPortInUse() {
        if (managementPort != AUTO_MANAGEMENT_PORT) {
            return managementPort;
        }
        return role.runsApi() ? -1 : ManagementServer.DEFAULT_PORT;
    }
}
