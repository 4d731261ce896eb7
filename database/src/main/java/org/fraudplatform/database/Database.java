package org.fraudplatform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The transactional database: a connection pool, migrated to the newest schema ({@code
 * classpath:db/migration}) before anything uses it.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Connects, then applies pending migrations; fails with Flyway's reason when one fails. */
    public static Database connect(String jdbcUrl, String user, String password) {
        return connect(jdbcUrl, user, password, 24);
    }

    /** Like {@link #connect(String, String, String)}, with at most {@code poolSize} connections. */
    public static Database connect(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("fraud-db");
        // when PostgreSQL is away, a caller learns it within 3 s (the API answers 503 and the
        // client retries) rather than holding a request for 10 s; with a healthy database a wait
        // that long means the pool is exhausted, which waiting longer does not cure
        config.setConnectionTimeout(3_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** True when a connection can be had and is valid within a second. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
