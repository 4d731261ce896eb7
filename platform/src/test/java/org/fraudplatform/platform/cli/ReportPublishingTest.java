package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.platform.models.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A report file is checked on the command line before anything reaches the platform: a missing,
 * oversized or non-HTML file is refused with what is wrong, and {@code models register --report}
 * registers nothing then. No platform runs here, and none is needed.
 */
class ReportPublishingTest {

    @TempDir Path dir;

    @Test
    void shouldReadAReportThePlatformTakes() throws Exception {
        Path report = dir.resolve("report.html");
        Files.writeString(report, "<!DOCTYPE html>\n<html><body>ok</body></html>\n");

        assertThat(ReportPublishing.read(report)).isEqualTo(Files.readAllBytes(report));
    }

    @Test
    void shouldRefuseAMissingReport() {
        assertThatThrownBy(() -> ReportPublishing.read(dir.resolve("report.html")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no report to publish at " + dir.resolve("report.html"));
    }

    @Test
    void shouldRefuseAnOversizedReportWithoutReadingIt() throws Exception {
        Path report = dir.resolve("report.html");
        try (RandomAccessFile file = new RandomAccessFile(report.toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024);
        }

        assertThatThrownBy(() -> ReportPublishing.read(report))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        report
                                + " has 3,145,728 bytes; the platform takes reports of at most"
                                + " 2,097,152");
    }

    @Test
    void shouldRefuseAReportThatIsNoHtmlPage() throws Exception {
        Path report = dir.resolve("report.md");
        Files.writeString(report, "# Rule back-test\n");

        assertThatThrownBy(() -> ReportPublishing.read(report))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(report + ": the report is not an HTML page");
    }

    @Test
    void shouldRegisterNothingWhenTheEvaluationReportIsRefused() throws Exception {
        // given: a model file, and its report.md where report.html was meant
        Path model = dir.resolve("amount.model.json");
        TinyModels.amountModel("amount", 0.0, FeatureCatalogue.standard().hash()).write(model);
        Path report = dir.resolve("report.md");
        Files.writeString(report, "# Evaluation\n");
        StringWriter out = new StringWriter();
        CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));

        // when: no broker, database or key is reachable here, so anything past the check fails
        int exit =
                cli.execute(
                        "models",
                        "register",
                        model.toString(),
                        "-m",
                        "with its evaluation",
                        "--report",
                        report.toString(),
                        "--signing-key",
                        dir.resolve("no-key").toString());

        // then: refused for the report, before the key, the token or the registry were touched
        assertThat(exit).isNotZero();
        assertThat(out.toString())
                .contains(report + ": the report is not an HTML page")
                .doesNotContain("Registered");
    }

    @Test
    void shouldRefuseToPublishAnEvaluationReportThatIsNoHtmlPage() throws Exception {
        Path report = dir.resolve("metrics.json");
        Files.writeString(report, "{\"roc_auc\": 0.9}\n");
        StringWriter out = new StringWriter();
        CommandLine cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));

        int exit = cli.execute("models", "publish-report", "a1b2c3d4e5f6", report.toString());

        assertThat(exit).isNotZero();
        assertThat(out.toString())
                .contains(report + ": the report is not an HTML page")
                .doesNotContain("Published");
    }
}
