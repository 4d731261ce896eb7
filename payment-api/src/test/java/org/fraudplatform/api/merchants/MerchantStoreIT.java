package org.fraudplatform.api.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.fraudplatform.api.db.Database;
import org.fraudplatform.api.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MerchantStoreIT {

    private static Database db;
    private static MerchantStore store;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        store = new MerchantStore(db.dataSource());
        store.createMerchant("shop-1", "Shop one");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldAuthenticateAnIssuedKeyAsItsMerchant() {
        String key = store.issueApiKey("shop-1");

        assertThat(key).startsWith("sk_live_").hasSize(40);
        assertThat(store.authenticate(key)).hasValue("shop-1");
    }

    @Test
    void shouldStoreOnlyTheHashOfAKey() throws Exception {
        String key = store.issueApiKey("shop-1");

        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key_hash, prefix FROM api_keys")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).doesNotContain(key).hasSize(64);
                assertThat(key).doesNotContain(rs.getString(1));
            }
        }
    }

    @Test
    void shouldRejectAnUnknownKey() {
        assertThat(store.authenticate("sk_live_00000000000000000000000000000000")).isEmpty();
        assertThat(store.authenticate("not-a-key")).isEmpty();
    }

    @Test
    void shouldRejectARevokedKeyAtOnce() {
        String key = store.issueApiKey("shop-1");
        assertThat(store.authenticate(key)).isPresent();

        store.revoke(key);

        assertThat(store.authenticate(key)).isEmpty();
    }

    @Test
    void shouldFindAnExistingMerchantOnly() {
        assertThat(store.findMerchant("shop-1")).hasValue("Shop one");
        assertThat(store.findMerchant("nobody")).isEmpty();
    }
}
