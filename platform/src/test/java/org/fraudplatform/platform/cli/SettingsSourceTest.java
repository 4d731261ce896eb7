package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fraudplatform.platform.ApiExposure;
import org.fraudplatform.platform.PlatformSettings;
import org.fraudplatform.platform.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsSourceTest {

    @TempDir Path dir;

    private static PlatformSettings parse(Map<String, String> environment, String... args) {
        var cli = FraudCommand.commandLine(environment);
        var parsed = cli.parseArgs(args);
        return ((RunCommand) parsed.subcommand().commandSpec().userObject()).settings();
    }

    @Test
    void shouldRunEverythingEmbeddedUnderDataWhenNothingIsSet() {
        PlatformSettings settings = parse(Map.of(), "run");

        assertThat(settings.dataDir()).isEqualTo(Path.of("data"));
        assertThat(settings.role()).isEqualTo(Role.ALL);
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.embeddedKafka()).isTrue();
        assertThat(settings.embeddedRegistry()).isTrue();
        assertThat(settings.embeddedDatabase()).isTrue();
        assertThat(settings.decisionTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldGiveTheSameDefaultsByNameAsTheCommandLineWithNoFlag() {
        // the defaults live in the options' annotations and in the builder: they must agree
        assertThat(parse(Map.of(), "run"))
                .usingRecursiveComparison()
                .isEqualTo(PlatformSettings.builder(Path.of("data")).build());
        assertThat(
                        parse(
                                Map.of(),
                                "run",
                                "--role",
                                "risk",
                                "--bootstrap-servers",
                                "kafka:9092",
                                "--schema-registry-url",
                                "http://registry:8081"))
                .usingRecursiveComparison()
                .isEqualTo(
                        PlatformSettings.builder(Path.of("data"))
                                .role(Role.RISK)
                                .bootstrapServers("kafka:9092")
                                .schemaRegistryUrl("http://registry:8081")
                                .build());
    }

    @Test
    void shouldTakeAnOptionFromTheEnvironmentWhenNoFlagIsGiven() {
        PlatformSettings settings =
                parse(Map.of("FRAUD_PORT", "9999", "FRAUD_DATA_DIR", "/srv/fraud"), "run");

        assertThat(settings.port()).isEqualTo(9999);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/srv/fraud"));
    }

    @Test
    void shouldPreferAFlagOverTheEnvironment() {
        PlatformSettings settings = parse(Map.of("FRAUD_PORT", "9999"), "run", "--port", "7000");

        assertThat(settings.port()).isEqualTo(7000);
    }

    @Test
    void shouldReadTheConfigurationFileNamedByFraudConfigLast() throws IOException {
        Path file = dir.resolve("fraud.properties");
        Files.writeString(file, "port=7100\ndecision-timeout=750ms\n");

        PlatformSettings fromFile = parse(Map.of("FRAUD_CONFIG", file.toString()), "run");
        PlatformSettings envWins =
                parse(Map.of("FRAUD_CONFIG", file.toString(), "FRAUD_PORT", "7200"), "run");

        assertThat(fromFile.port()).isEqualTo(7100);
        assertThat(fromFile.decisionTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(envWins.port()).isEqualTo(7200);
    }

    @Test
    void shouldConvertAmountsWithThePackagedRateTableUnlessAnotherIsGiven() throws IOException {
        Path rates = dir.resolve("rates.txt");
        Files.writeString(rates, "reference = USD\nEUR = 1.10\n");

        PlatformSettings packaged = parse(Map.of(), "run");
        PlatformSettings replaced = parse(Map.of("FRAUD_CURRENCY_RATES", rates.toString()), "run");

        assertThat(packaged.currencyRates().reference()).isEqualTo("EUR");
        assertThat(replaced.currencyRates().reference()).isEqualTo("USD");
        assertThat(replaced.currencyRates().toReference(100_00, "EUR")).isEqualTo(110_00);
    }

    @Test
    void shouldRefuseAnInvalidRateTableNamingTheOptionAndTheLine() throws IOException {
        Path rates = dir.resolve("rates.txt");
        Files.writeString(rates, "reference = EUR\nJPY = cheap\n");

        assertThatThrownBy(() -> parse(Map.of(), "run", "--currency-rates", rates.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--currency-rates: invalid currency rate table")
                .hasMessageContaining("rates.txt:2: JPY: the rate must be a decimal number");
    }

    @Test
    void shouldRouteOverTheSimulatedProvidersOnlyUnlessAProvidersFileIsGiven() throws IOException {
        Path file = dir.resolve("providers.conf");
        Files.writeString(
                file,
                "provider.stripe-eu.type = stripe\n"
                        + "provider.stripe-eu.secret-key = env:STRIPE_SECRET_KEY\n"
                        + "route = card EUR -> stripe-eu, simulated-a\n");

        PlatformSettings simulated = parse(Map.of(), "run");
        PlatformSettings configured = parse(Map.of("FRAUD_PROVIDERS", file.toString()), "run");

        assertThat(simulated.providers()).isNull();
        assertThat(configured.providers().providers()).containsExactly("stripe-eu");
    }

    @Test
    void shouldRefuseAnInvalidProvidersFileNamingTheOptionAndTheLine() throws IOException {
        Path file = dir.resolve("providers.conf");
        Files.writeString(file, "provider.p.type = paypal\n");

        assertThatThrownBy(() -> parse(Map.of(), "run", "--providers", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "--providers: "
                                + file
                                + ":1: unknown provider type 'paypal' (stripe or adyen)");
    }

    @Test
    void shouldSendWebhooksOnlyToPublicHttpsEndpointsUnlessPrivateDestinationsAreAllowed() {
        assertThat(parse(Map.of(), "run").webhooks().privateDestinationsAllowed()).isFalse();
        assertThat(
                        parse(Map.of(), "run", "--webhooks-allow-private")
                                .webhooks()
                                .privateDestinationsAllowed())
                .isTrue();
        assertThat(
                        parse(Map.of("FRAUD_WEBHOOKS_ALLOW_PRIVATE", "true"), "run")
                                .webhooks()
                                .privateDestinationsAllowed())
                .isTrue();
    }

    @Test
    void shouldRefusePlainHttpOnANonLoopbackHostUnlessItIsAllowed() {
        assertThatThrownBy(() -> parse(Map.of(), "run", "--host", "0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--host 0.0.0.0 is not a loopback address")
                .hasMessageContaining("--tls-cert and --tls-key")
                .hasMessageContaining("--allow-plain-http");

        assertThat(parse(Map.of(), "run").exposure()).isEqualTo(ApiExposure.PLAIN_HTTP_ON_LOOPBACK);
        assertThat(parse(Map.of(), "run", "--host", "0.0.0.0", "--allow-plain-http").exposure())
                .isEqualTo(ApiExposure.PLAIN_HTTP_ALLOWED);
        assertThat(
                        parse(Map.of("FRAUD_ALLOW_PLAIN_HTTP", "true"), "run", "--host", "0.0.0.0")
                                .exposure())
                .isEqualTo(ApiExposure.PLAIN_HTTP_ALLOWED);
    }

    @Test
    void shouldServeHttpsWithACertificateAndKeyFromFlagsOrTheEnvironment() {
        PlatformSettings fromFlags =
                parse(
                        Map.of(),
                        "run",
                        "--host",
                        "0.0.0.0",
                        "--tls-cert",
                        "cert.pem",
                        "--tls-key",
                        "key.pem");
        PlatformSettings fromEnvironment =
                parse(
                        Map.of(
                                "FRAUD_HOST", "0.0.0.0",
                                "FRAUD_TLS_CERT", "/etc/fraud/tls/cert.pem",
                                "FRAUD_TLS_KEY", "/etc/fraud/tls/key.pem"),
                        "run");

        assertThat(fromFlags.tls()).isTrue();
        assertThat(fromFlags.exposure()).isEqualTo(ApiExposure.HTTPS);
        assertThat(fromFlags.tlsCertificate()).isEqualTo(Path.of("cert.pem"));
        assertThat(fromEnvironment.tlsKey()).isEqualTo(Path.of("/etc/fraud/tls/key.pem"));
        assertThat(fromEnvironment.exposure()).isEqualTo(ApiExposure.HTTPS);
        assertThat(parse(Map.of("FRAUD_TLS_CERT", "", "FRAUD_TLS_KEY", ""), "run").tls())
                .as("set but empty: none")
                .isFalse();
    }

    @Test
    void shouldRefuseACertificateWithoutItsKeyAndAKeyWithoutItsCertificate() {
        for (String[] one : new String[][] {{"--tls-cert", "cert.pem"}, {"--tls-key", "key.pem"}}) {
            assertThatThrownBy(() -> parse(Map.of(), "run", one[0], one[1]))
                    .as(one[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--tls-cert and --tls-key go together");
        }
    }

    @Test
    void shouldLetARoleWithoutTheApiListenOnAnyAddress() {
        PlatformSettings risk =
                parse(
                        Map.of(),
                        "run",
                        "--role",
                        "risk",
                        "--host",
                        "0.0.0.0",
                        "--bootstrap-servers",
                        "kafka:9092",
                        "--schema-registry-url",
                        "http://registry:8081");

        assertThat(risk.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void shouldRefuseAPartialRoleWithoutTheSharedServices() {
        assertThatThrownBy(() -> parse(Map.of(), "run", "--role", "api"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-servers")
                .hasMessageContaining("--schema-registry-url")
                .hasMessageContaining("--database-url");
    }

    @Test
    void shouldCreateOnePartitionPerTopicOnTheEmbeddedBrokerAndSixOnACluster() {
        assertThat(parse(Map.of(), "run").partitions())
                .as("one machine: every entity answers on its request's partition")
                .isEqualTo(1);
        assertThat(
                        parse(
                                        Map.of(),
                                        "run",
                                        "--bootstrap-servers",
                                        "kafka:9092",
                                        "--schema-registry-url",
                                        "http://registry:8081")
                                .partitions())
                .as("a cluster: instances share the partitions")
                .isEqualTo(6);
        assertThat(parse(Map.of("FRAUD_PARTITIONS", "3"), "run").partitions()).isEqualTo(3);
        assertThat(parse(Map.of(), "run", "--partitions", "12").partitions()).isEqualTo(12);
    }

    @Test
    void shouldRefuseAnApiInstanceWithoutAReplyPartition() {
        assertThatThrownBy(() -> parse(Map.of(), "run", "--partitions", "2", "--api-instance", "2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--api-instance must be between 0 and --partitions - 1 (1)");
    }

    @Test
    void shouldNameTheEnvironmentVariableAfterTheOption() {
        assertThat(SettingsSource.environmentName("schema-registry-url"))
                .isEqualTo("FRAUD_SCHEMA_REGISTRY_URL");
    }

    @Test
    void shouldReadDurationsInShortAndIsoForm() {
        var converter = new DurationConverter();

        assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(converter.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(converter.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> converter.convert("soon"))
                .hasMessageContaining("'soon' is not a duration");
    }
}
