package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.fraudplatform.platform.Platform;
import org.fraudplatform.platform.PlatformSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code fraud run} checks before it starts anything. */
class RunCommandTest {

    @TempDir Path dir;

    @Test
    void shouldNameACertificateItCannotServeBeforeAnythingStarts() {
        Path data = dir.resolve("data");
        Path missing = dir.resolve("cert.pem");
        PlatformSettings settings =
                ((RunCommand)
                                FraudCommand.commandLine(Map.of())
                                        .parseArgs(
                                                "run",
                                                "--data-dir",
                                                data.toString(),
                                                "--tls-cert",
                                                missing.toString(),
                                                "--tls-key",
                                                dir.resolve("key.pem").toString())
                                        .subcommand()
                                        .commandSpec()
                                        .userObject())
                        .settings();

        assertThatThrownBy(
                        () ->
                                Platform.start(
                                        settings, new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certificate file " + missing + ": no such file");
        assertThat(data).as("nothing started").doesNotExist();
    }

    @Test
    void shouldFetchSettlementsAtTheTimeOfTheFlagOverTheProvidersFile() throws Exception {
        Path file = providersFile("settlement-fetch-at = 05:30");

        PlatformSettings flagged =
                settings("--providers", file.toString(), "--settlement-fetch-at", "02:15");
        PlatformSettings fromFile = settings("--providers", file.toString());

        assertThat(flagged.providers().settlementFetchAt())
                .isEqualTo(java.time.LocalTime.of(2, 15));
        assertThat(fromFile.providers().settlementFetchAt())
                .isEqualTo(java.time.LocalTime.of(5, 30));
    }

    @Test
    void shouldFetchSettlementsAtFourInTheMorningByDefault() throws Exception {
        PlatformSettings settings = settings("--providers", providersFile().toString());

        assertThat(settings.providers().settlementFetchAt())
                .isEqualTo(java.time.LocalTime.of(4, 0));
    }

    @Test
    void shouldRefuseAFetchTimeThatIsNoTimeOfDay() throws Exception {
        Path file = providersFile();

        assertThatThrownBy(
                        () ->
                                settings(
                                        "--providers",
                                        file.toString(),
                                        "--settlement-fetch-at",
                                        "4am"))
                .hasMessage("--settlement-fetch-at: '4am' is not a time of day HH:MM (UTC)");
        assertThatThrownBy(
                        () ->
                                settings(
                                        "--providers",
                                        file.toString(),
                                        "--settlement-fetch-at",
                                        "25:00"))
                .hasMessage("--settlement-fetch-at: '25:00' is not a time of day HH:MM (UTC)");
    }

    @Test
    void shouldCancelUnknownOutcomesAfterAnHourUnlessToldAndNeverBeforeTheFirstStatusQuery() {
        assertThat(settings().cancelUnknownAfter()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(settings("--cancel-unknown-after", "15m").cancelUnknownAfter())
                .isEqualTo(java.time.Duration.ofMinutes(15));
        assertThatThrownBy(() -> settings("--cancel-unknown-after", "10s"))
                .hasMessageContaining(
                        "--cancel-unknown-after must be longer than twice --provider-timeout");
    }

    @Test
    void shouldFetchTheSimulatedProvidersSettlementsAtTheFlagsTimeWithoutAProvidersFile()
            throws Exception {
        PlatformSettings flagged = settings("--settlement-fetch-at", "01:30");
        PlatformSettings plain = settings();
        PlatformSettings fromFile =
                settings("--providers", providersFile("settlement-fetch-at = 05:30").toString());

        assertThat(flagged.settlementFetchAt()).isEqualTo(java.time.LocalTime.of(1, 30));
        assertThat(flagged.providers()).isNull();
        assertThat(plain.settlementFetchAt()).isEqualTo(java.time.LocalTime.of(4, 0));
        assertThat(fromFile.settlementFetchAt()).isEqualTo(java.time.LocalTime.of(5, 30));
    }

    private Path providersFile(String... more) throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("stripe-key"), "sk_test_local");
        java.util.List<String> lines =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "provider.stripe-eu.type = stripe",
                                "provider.stripe-eu.secret-key = file:"
                                        + dir.resolve("stripe-key")));
        lines.addAll(java.util.List.of(more));
        Path file = dir.resolve("providers.conf");
        java.nio.file.Files.write(file, lines);
        return file;
    }

    private PlatformSettings settings(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "run";
        args[1] = "--data-dir";
        args[2] = dir.resolve("data").toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return ((RunCommand)
                        FraudCommand.commandLine(Map.of())
                                .parseArgs(args)
                                .subcommand()
                                .commandSpec()
                                .userObject())
                .settings();
    }
}
