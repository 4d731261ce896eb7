package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The deployment in docker-compose.yml only runs commands the CLI accepts, with valid settings, and
 * only with secrets the deployer gives it.
 */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    /** The deployer's shell: the secrets compose asks for. */
    private static final Map<String, String> SHELL =
            Map.of(
                    "FRAUD_TOKENIZATION_KEY",
                    randomKey(),
                    "FRAUD_DATABASE_PASSWORD",
                    "a-deployment-password");

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        key[0] = (byte) 0x80; // not text, whatever the draw
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::([?-])([^}]*))?}");

    /**
     * Substitutes variables as compose does: {@code ${X}}, {@code ${X:-default}}, and {@code
     * ${X:?message}}, which refuses to start when X is unset or empty.
     */
    static String interpolate(String value, Map<String, String> shell) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = shell.get(m.group(1));
            String replacement;
            if (set != null && !set.isEmpty()) {
                replacement = set;
            } else if ("-".equals(m.group(2))) {
                replacement = m.group(3);
            } else if ("?".equals(m.group(2))) {
                throw new IllegalStateException(m.group(1) + ": " + m.group(3));
            } else {
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(
            Map<String, Object> service, Map<String, String> shell) {
        Map<String, String> environment = new HashMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((k, v) -> environment.put(k, interpolate(String.valueOf(v), shell)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        try (InputStream in = Files.newInputStream(COMPOSE)) {
            Map<String, Object> root = new Yaml().load(in);
            return (Map<String, Map<String, Object>>) root.get("services");
        }
    }

    private static boolean runsThePlatformImage(Map<String, Object> service) {
        return "fraud-platform:latest".equals(service.get("image")) || service.containsKey("build");
    }

    @Test
    void shouldRunEveryPartOfThePlatformAsItsOwnRole() throws IOException {
        var roles =
                services().values().stream()
                        .filter(DockerComposeTest::runsThePlatformImage)
                        .map(s -> (List<?>) s.get("command"))
                        .map(c -> String.valueOf(c.get(c.indexOf("--role") + 1)))
                        .toList();

        assertThat(roles)
                .as("one service per role but 'all'")
                .containsExactlyInAnyOrderElementsOf(
                        java.util.Arrays.stream(org.fraudplatform.platform.Role.values())
                                .filter(r -> r != org.fraudplatform.platform.Role.ALL)
                                .map(Object::toString)
                                .toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveEveryPlatformServiceACommandTheCliAcceptsWithValidSettings() throws IOException {
        for (var entry : services().entrySet()) {
            Map<String, Object> service = entry.getValue();
            if (!runsThePlatformImage(service)) {
                continue;
            }
            List<String> command = (List<String>) service.get("command");
            Map<String, String> environment = environment(service, SHELL);

            CommandLine cli = FraudCommand.commandLine(environment);
            CommandLine.ParseResult parsed = cli.parseArgs(command.toArray(String[]::new));

            assertThat(parsed.subcommand()).as(entry.getKey()).isNotNull();
            Object sub = parsed.subcommand().commandSpec().userObject();
            assertThat(sub).as(entry.getKey()).isInstanceOf(RunCommand.class);
            assertThatCode(((RunCommand) sub)::settings)
                    .as(entry.getKey())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveTheScoringInstancesAndTheConsoleOneReleaseSigningKeyPair() throws IOException {
        for (String name : List.of("fraud-risk", "fraud-api")) {
            Map<String, Object> service = services().get(name);
            Map<String, String> environment = environment(service, SHELL);
            String folder = Path.of(environment.get("FRAUD_SIGNING_KEY")).getParent().toString();

            assertThat(Path.of(environment.get("FRAUD_RELEASE_PUBLIC_KEY")))
                    .as(name)
                    .isEqualTo(Path.of(environment.get("FRAUD_SIGNING_KEY") + ".pub"));
            assertThat((List<String>) service.get("volumes"))
                    .as("%s mounts the shared key folder", name)
                    .contains("release-keys:" + folder);
            RunCommand run =
                    (RunCommand)
                            FraudCommand.commandLine(environment)
                                    .parseArgs(
                                            ((List<String>) service.get("command"))
                                                    .toArray(String[]::new))
                                    .subcommand()
                                    .commandSpec()
                                    .userObject();
            assertThat(run.settings().releaseKeys().signingKey())
                    .isEqualTo(Path.of(environment.get("FRAUD_SIGNING_KEY")));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldLetTheReconciliationRoleImportTheSettlementsTheApiFetches() throws IOException {
        for (String name : List.of("fraud-api", "fraud-reconciliation")) {
            Map<String, Object> service = services().get(name);
            List<String> command = (List<String>) service.get("command");
            String dataDir = command.get(command.indexOf("--data-dir") + 1);

            assertThat((List<String>) service.get("volumes"))
                    .as("%s mounts the shared settlements folder of its data folder", name)
                    .contains("settlements:" + dataDir + "/settlements");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPublishAnApiThatSpeaksPlainHttpOnTheHostsLoopbackOnly() throws IOException {
        for (var entry : services().entrySet()) {
            Map<String, Object> service = entry.getValue();
            if (!runsThePlatformImage(service)
                    || !((List<String>) service.get("command")).contains("--allow-plain-http")) {
                continue;
            }
            assertThat((List<String>) service.getOrDefault("ports", List.of()))
                    .as(entry.getKey() + " serves plain HTTP")
                    .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldStartEachPlatformServiceOnceWhatItNeedsIsHealthyAndCheckItsOwnHealth()
            throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (var entry : services.entrySet()) {
            if (!runsThePlatformImage(entry.getValue())) {
                continue;
            }
            Map<String, Object> dependsOn =
                    (Map<String, Object>) entry.getValue().get("depends_on");
            assertThat(dependsOn)
                    .as(entry.getKey())
                    .containsOnlyKeys(
                            "kafka-1", "kafka-2", "kafka-3", "schema-registry", "postgres");
            dependsOn.forEach(
                    (name, condition) -> {
                        assertThat((Map<String, Object>) condition)
                                .as("%s waits for %s", entry.getKey(), name)
                                .containsEntry("condition", "service_healthy");
                        assertThat(services.get(name))
                                .as("%s has a health check", name)
                                .containsKey("healthcheck");
                    });
            List<String> test =
                    (List<String>)
                            ((Map<String, Object>) entry.getValue().get("healthcheck")).get("test");
            List<String> command = (List<String>) entry.getValue().get("command");
            String port =
                    command.contains("--port")
                            ? command.get(command.indexOf("--port") + 1)
                            : "9464"; // the management port of a role without the API
            assertThat(String.join(" ", test))
                    .as("%s asks its own health endpoint", entry.getKey())
                    .contains("/dev/tcp/127.0.0.1/" + port + " ")
                    .contains(command.contains("--port") ? "GET /health " : "GET /health/ready ");
        }
    }

    @Test
    void shouldRunTheBrokersOnTheKafkaVersionOfThePlatformWithAValidClusterId() throws IOException {
        java.util.regex.Matcher version =
                Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                        .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(version.find()).isTrue();
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            Map<String, Object> service = services().get(broker);
            assertThat(service.get("image")).isEqualTo("apache/kafka:" + version.group(1));
            String clusterId = environment(service, SHELL).get("CLUSTER_ID");
            assertThatCode(() -> org.apache.kafka.common.Uuid.fromString(clusterId))
                    .as("CLUSTER_ID %s", clusterId)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPublishEveryPortOnTheHostsLoopbackOnly() throws IOException {
        for (var entry : services().entrySet()) {
            assertThat((List<String>) entry.getValue().getOrDefault("ports", List.of()))
                    .as(entry.getKey())
                    .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
        }
        assertThat(environment(services().get("kafka-1"), SHELL).get("KAFKA_ADVERTISED_LISTENERS"))
                .as("the command line on the host reaches the cluster")
                .contains("HOST://localhost:29092");
    }

    @Test
    void shouldBuildAnImageWithoutTheDataFolderThatRunsAsAUserOfItsOwn() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of("..", ".dockerignore"));
        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));

        assertThat(ignored).contains("data/", "**/data/", "**/target/", ".git/");
        String runtimeStage = dockerfile.substring(dockerfile.lastIndexOf("FROM "));
        assertThat(runtimeStage)
                .containsPattern("(?m)^USER fraud$")
                .contains("-XX:MaxRAMPercentage=")
                .doesNotContainPattern("(?m)^USER root");
    }

    @Test
    void shouldRefuseToStartWithoutATokenizationKeyOrADatabasePassword() throws IOException {
        for (String secret : List.of("FRAUD_TOKENIZATION_KEY", "FRAUD_DATABASE_PASSWORD")) {
            Map<String, String> shell = new HashMap<>(SHELL);
            shell.remove(secret);
            for (var entry : services().entrySet()) {
                if (runsThePlatformImage(entry.getValue())) {
                    assertThatThrownBy(() -> environment(entry.getValue(), shell))
                            .as(entry.getKey() + " without " + secret)
                            .hasMessageStartingWith(secret);
                }
            }
        }
        assertThat(Files.readString(COMPOSE))
                .as("no secret has a default")
                .doesNotContainPattern("\\$\\{FRAUD_[A-Z_]*(KEY|PASSWORD):-");
    }

    @Test
    void shouldRefuseATokenizationKeyPublishedAsAnExampleOrMadeOfText() throws IOException {
        Map<String, Object> api = services().get("fraud-api");
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) api.get("command");
        for (String key :
                List.of(
                        "ZnJhdWQtcGxhdGZvcm0tZGVtby1rZXktY2hhbmdlLW1lIQ==",
                        java.util.Base64.getEncoder()
                                .encodeToString(
                                        "correct horse battery staple, twice over"
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        java.util.Base64.getEncoder().encodeToString(new byte[16]))) {
            Map<String, String> shell = new HashMap<>(SHELL);
            shell.put("FRAUD_TOKENIZATION_KEY", key);
            CommandLine cli = FraudCommand.commandLine(environment(api, shell));
            RunCommand run =
                    (RunCommand)
                            cli.parseArgs(command.toArray(String[]::new))
                                    .subcommand()
                                    .commandSpec()
                                    .userObject();

            assertThatThrownBy(run::settings)
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tokenization key")
                    .hasMessageContaining("openssl rand -base64 32");
        }
    }
}
