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
}
