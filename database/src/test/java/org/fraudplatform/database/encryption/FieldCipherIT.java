package org.fraudplatform.database.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data keys in {@code field_encryption_keys} of a real PostgreSQL. */
class FieldCipherIT {

    private static final byte[] MASTER = new byte[32];

    private Database db;

    @BeforeEach
    void database() {
        db = TestDatabase.fresh();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldMakeOneDataKeyWhenProcessesStartTogetherAndReadEachOthersValues() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> written = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String value = "customer" + i + "@example.com";
                written.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return FieldCipher.inDatabase(db.dataSource(), MASTER)
                                            .encrypt("payment_contacts.email", value);
                                }));
            }
            start.countDown();

            FieldCipher reader = FieldCipher.inDatabase(db.dataSource(), MASTER);
            for (int i = 0; i < 8; i++) {
                assertThat(reader.decrypt("payment_contacts.email", written.get(i).get()))
                        .isEqualTo("customer" + i + "@example.com");
            }
            assertThat(dataKeys()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldStopAProcessWithAnotherMasterKeyWhenItStarts() {
        FieldCipher.inDatabase(db.dataSource(), MASTER).currentKeyId();
        byte[] another = new byte[32];
        another[0] = 1;

        assertThatThrownBy(() -> FieldCipher.inDatabase(db.dataSource(), another).currentKeyId())
                .isInstanceOf(FieldCipher.WrongMasterKey.class)
                .hasMessageContaining("data key 1 of field_encryption_keys cannot be unwrapped");
    }

    private int dataKeys() throws SQLException {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM field_encryption_keys")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
