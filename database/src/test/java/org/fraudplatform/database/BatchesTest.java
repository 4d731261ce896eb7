package org.fraudplatform.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.fraudplatform.database.projection.Quarantine;
import org.junit.jupiter.api.Test;

class BatchesTest {

    /** A statement whose batch fails the way PostgreSQL's driver does when the connection dies. */
    private static PreparedStatement dyingUnderABatch() {
        return (PreparedStatement)
                Proxy.newProxyInstance(
                        BatchesTest.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class},
                        (proxy, method, args) -> {
                            if (method.getName().equals("executeBatch")) {
                                throw new AssertionError(
                                        "pgStatement.getConnection().getAutoCommit() should not"
                                                + " throw");
                            }
                            throw new UnsupportedOperationException(method.getName());
                        });
    }

    @Test
    void shouldReportADriverAssertionUnderABatchAsAConnectionFailureToRetry() {
        SQLException e =
                catchThrowableOfType(SQLException.class, () -> Batches.execute(dyingUnderABatch()));

        assertThat((Throwable) e).as("a SQLException").isNotNull();
        assertThat(e.getSQLState()).isEqualTo("08006");
        assertThat(e.getCause()).isInstanceOf(AssertionError.class);
        // the database's failure, not the record's: waited for, never sent to the dead letters
        assertThat(Quarantine.isRecordFault(new IllegalStateException("cannot apply", e)))
                .isFalse();
    }
}
