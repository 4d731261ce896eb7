package org.fraudplatform.api.merchants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
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
    void shouldFindAnExistingMerchantOnly() {
        assertThat(store.findMerchant("shop-1")).hasValue("Shop one");
        assertThat(store.findMerchant("nobody")).isEmpty();
    }

    @Test
    void shouldRefuseAMerchantIdThatIsTaken() {
        assertThatThrownBy(() -> store.createMerchant("shop-1", "Another shop"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists");
    }
}
