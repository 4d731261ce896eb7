package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alerts in {@code deploy/prometheus/alerts.yml} are valid Prometheus rules and fire when they
 * should ({@code alerts.test.yml}), checked by Prometheus's own {@code promtool}. Where it is not
 * installed (Debian's {@code prometheus} package has it; {@code .ci/run} installs it) these tests
 * are reported as skipped, saying so.
 */
class AlertRulesTest {

    private static final Path RULES = Path.of("..", "deploy", "prometheus");

    @Test
    void shouldBeRulesPrometheusAccepts() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS");
    }

    @Test
    void shouldFireEachAlertWhenItsConditionHoldsAndNotBefore() throws Exception {
        assertThat(promtool("test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    private static String promtool(String... args) throws Exception {
        Optional<Path> promtool = onPath("promtool");
        Assumptions.assumeTrue(
                promtool.isPresent(),
                "promtool is not installed (Debian package prometheus): alert rules not checked");
        List<String> command = new java.util.ArrayList<>(List.of(promtool.get().toString()));
        command.addAll(List.of(args));
        Process p =
                new ProcessBuilder(command)
                        .directory(RULES.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
