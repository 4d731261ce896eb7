package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port already taken stops {@code fraud run} before anything starts, with the port, its holder
 * and the flag that chooses another, instead of a stack trace from the part that found it.
 */
class PortCheckTest {

    ServerSocket taken;

    @BeforeEach
    void takeAPort() throws Exception {
        taken = new ServerSocket();
        taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    }

    @AfterEach
    void releaseIt() throws Exception {
        taken.close();
    }

    @Test
    void shouldNameTheTakenPortItsHolderAndTheFlagThatChoosesAnother() {
        int port = taken.getLocalPort();

        assertThatThrownBy(() -> PortCheck.requireFree("127.0.0.1", Map.of("--kafka-port", port)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port " + port + " (--kafka-port) is taken")
                .hasMessageContaining("choose another port with --kafka-port <port>");
    }

    @Test
    void shouldSayWhichProcessHoldsThePortWhenTheSystemTells() {
        // on Linux the holder is known: here, this very test JVM
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isReadable(Path.of("/proc/net/tcp")));

        assertThat(PortCheck.holder(taken.getLocalPort()))
                .hasValueSatisfying(
                        h ->
                                assertThat(h)
                                        .startsWith(
                                                "pid " + ProcessHandle.current().pid() + " (java"));
    }

    @Test
    void shouldNameEveryTakenPortAndNotTheFreeOnes() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("--port", taken.getLocalPort());
            ports.put("--kafka-port", 0);
            ports.put("--database-port", other.getLocalPort());

            assertThatThrownBy(() -> PortCheck.requireFree("127.0.0.1", ports))
                    .hasMessageContaining("(--port) is taken")
                    .hasMessageContaining("(--database-port) is taken")
                    .hasMessageNotContaining("--kafka-port");
        }
    }

    @Test
    void shouldPassFreePortsAndPortZero() throws Exception {
        int free = taken.getLocalPort();
        taken.close();

        assertThatCode(
                        () ->
                                PortCheck.requireFree(
                                        "127.0.0.1", Map.of("--port", free, "--kafka-port", 0)))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldDescribeAProcessWithoutItsOptionsWhichMayHoldSecrets() {
        assertThat(
                        PortCheck.describe(
                                List.of(
                                        "/usr/lib/jvm/bin/java",
                                        "-Xmx2g",
                                        "-cp",
                                        "a.jar:lib/*",
                                        "org.fraudplatform.platform.cli.FraudCommand",
                                        "run",
                                        "--database-password",
                                        "s3cret")))
                .isEqualTo("java org.fraudplatform.platform.cli.FraudCommand run");
        assertThat(
                        PortCheck.describe(
                                List.of(
                                        "/tmp/pg/bin/postgres",
                                        "-D",
                                        "/srv/data/postgres",
                                        "-p",
                                        "15432")))
                .isEqualTo("postgres -D /srv/data/postgres");
    }

    @Test
    void shouldCheckEveryPortOfTheEmbeddedPlatformBeforeStartingAnything(@TempDir Path dir) {
        PlatformSettings s = withDatabasePort(TestSettings.embedded(dir), taken.getLocalPort());

        assertThat(PortCheck.portsOf(s))
                .containsOnlyKeys(
                        "--port", "--kafka-port", "--schema-registry-port", "--database-port");
        assertThatThrownBy(
                        () -> Platform.start(s, new PrintStream(OutputStream.nullOutputStream())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(--database-port) is taken");
        assertThat(dir.resolve("kafka")).as("nothing started").doesNotExist();
    }

    private static PlatformSettings withDatabasePort(PlatformSettings s, int databasePort) {
        return s.toBuilder().databasePort(databasePort).build();
    }
}
