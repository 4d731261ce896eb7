package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** The deployment in docker-compose.yml only runs commands the CLI accepts, with valid settings. */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

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
            Map<String, String> environment = new HashMap<>();
            ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                    .forEach((k, v) -> environment.put(k, String.valueOf(v)));

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
}
