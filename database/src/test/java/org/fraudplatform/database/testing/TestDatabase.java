package org.fraudplatform.database.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.fraudplatform.database.Database;

/**
 * A real PostgreSQL for tests: one server per test JVM (started on first use, stopped at exit), and
 * a fresh, migrated database for each caller, so test classes never see each other's rows.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabase() {}

    /** A new database with every migration applied. Close it when done. */
    public static synchronized Database fresh() {
        return fresh(false);
    }

    /**
     * A new database whose sessions commit on disk ({@code synchronous_commit = on}, PostgreSQL's
     * own default and a production server's; the embedded test server runs with it off).
     */
    public static synchronized Database freshWithDurableCommits() {
        return fresh(true);
    }

    private static Database fresh(boolean durableCommits) {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
                EmbeddedPostgres started = server;
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(
                                        () -> {
                                            try {
                                                started.close();
                                            } catch (IOException ignored) {
                                                // the JVM is ending
                                            }
                                        }));
            }
            String name = "test_" + COUNTER.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
                if (durableCommits) {
                    s.execute("ALTER DATABASE " + name + " SET synchronous_commit = on");
                }
            }
            return Database.connect(server.getJdbcUrl("postgres", name), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
