package org.fraudplatform.database;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Executes a statement's batch. PostgreSQL's driver throws an {@link AssertionError}
 * ("getAutoCommit() should not throw") when the connection dies under a batch; here that is what it
 * is, a connection failure ({@link SQLException} with SQL state 08006), so that every caller
 * retries it like any other database failure instead of losing the thread that ran it.
 */
public final class Batches {

    /** SQL state of a connection that failed. */
    static final String CONNECTION_FAILURE = "08006";

    private Batches() {}

    public static int[] execute(PreparedStatement s) throws SQLException {
        try {
            return s.executeBatch();
        } catch (AssertionError e) {
            throw new SQLException(
                    "the connection failed under a batch (" + e.getMessage() + ")",
                    CONNECTION_FAILURE,
                    e);
        }
    }
}
