package org.fraudplatform.platform.cli;

import org.fraudplatform.database.Database;
import picocli.CommandLine.Option;

/**
 * Where a command finds the platform's PostgreSQL: the embedded one of a platform running on this
 * machine (on {@code --database-port}), or {@code --database-url}. Same names, and so the same
 * {@code FRAUD_DATABASE_*} variables, as {@code fraud run}.
 */
final class DatabaseOptions {

    @Option(
            names = "--database-url",
            description =
                    "The platform's PostgreSQL (JDBC URL); default: the embedded PostgreSQL of a"
                            + " platform running here.")
    String databaseUrl;

    @Option(
            names = "--database-port",
            defaultValue = "15432",
            description =
                    "Port of the running platform's embedded PostgreSQL. Default: ${DEFAULT-VALUE}")
    int databasePort;

    @Option(
            names = "--database-user",
            description = "Database user. Default: postgres (embedded), fraud (--database-url).")
    String databaseUser;

    @Option(
            names = "--database-password",
            defaultValue = "",
            description = "Database password (prefer FRAUD_DATABASE_PASSWORD).")
    String databasePassword;

    boolean embedded() {
        return databaseUrl == null || databaseUrl.isBlank();
    }

    String url() {
        return embedded() ? "jdbc:postgresql://localhost:" + databasePort + "/fraud" : databaseUrl;
    }

    String user() {
        if (databaseUser != null && !databaseUser.isBlank()) {
            return databaseUser;
        }
        return embedded() ? "postgres" : "fraud";
    }

    /** A small pool on the platform's database, migrated to this version's schema. */
    Database connect() {
        try {
            return Database.connect(url(), user(), databasePassword, 2);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "cannot reach the platform's database at "
                            + url()
                            + (embedded()
                                    ? " (is 'fraud run' running? give --database-url for an"
                                            + " external one)"
                                    : "")
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
