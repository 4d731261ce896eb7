package org.fraudplatform.dev.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform killed with {@code kill -9} leaves its PostgreSQL running (it runs in processes of its
 * own); the next platform on the data folder stops it before it starts its own.
 */
class LeftoverDatabaseIT {

    @TempDir Path dir;

    @Test
    void shouldStopAServerLeftRunningOnTheDataFolder() throws Exception {
        EmbeddedDatabase left = EmbeddedDatabase.start(dir.resolve("postgres"), 0);
        long pid;
        try (Connection c =
                DriverManager.getConnection(left.jdbcUrl(), left.username(), left.password())) {
            assertThat(c.isValid(2)).isTrue();
            pid =
                    Long.parseLong(
                            Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid"))
                                    .get(0));
        }

        long stopped = EmbeddedDatabase.stopLeftover(dir.resolve("postgres"));

        assertThat(stopped).isEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(dir.resolve("postgres").resolve("postmaster.pid"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // a clean shutdown: the server removed its pid file on the way out
        assertThat(dir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void shouldLeaveAloneAProcessThatMerelyReusedTheRecordedPid() throws Exception {
        Path postgres = Files.createDirectories(dir.resolve("postgres"));
        long self = ProcessHandle.current().pid();
        Files.writeString(postgres.resolve("postmaster.pid"), self + "\n" + postgres + "\n");

        assertThat(EmbeddedDatabase.stopLeftover(postgres)).isEqualTo(-1);
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void shouldFindNothingToStopInAFolderWithoutAServer() {
        assertThat(EmbeddedDatabase.stopLeftover(dir.resolve("postgres"))).isEqualTo(-1);
    }
}
