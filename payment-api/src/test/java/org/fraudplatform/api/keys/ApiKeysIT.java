package org.fraudplatform.api.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.fraudplatform.api.merchants.MerchantStore;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API keys against a real PostgreSQL, on clocks the tests move. */
class ApiKeysIT {

    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration TTL = Duration.ofSeconds(5);

    static Database db;
    final TestClocks clocks = new TestClocks(T0);
    final ApiKeys keys = new ApiKeys(db.dataSource(), clocks, clocks::nanos, TTL);

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        MerchantStore merchants = new MerchantStore(db.dataSource());
        merchants.createMerchant("shop-1", "Shop one");
        merchants.createMerchant("shop-2", "Shop two");
        merchants.createMerchant("shop-3", "Shop three");
        merchants.createMerchant("shop-without-keys", "Shop without keys");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** Another API instance: the same database, its own cache. */
    ApiKeys anotherInstance() {
        return new ApiKeys(db.dataSource(), clocks, clocks::nanos, TTL);
    }

    ApiKeys.Issued issue(Set<Scope> scopes, Integer limit, Duration expiresIn) {
        return keys.issue("shop-1", new ApiKeys.NewKey(scopes, limit, expiresIn, "test"), "ada");
    }

    @Test
    void shouldAuthenticateAnIssuedKeyAsItsMerchantWithItsScopesAndLimit() {
        ApiKeys.Issued issued = issue(Set.of(Scope.PAYMENTS_READ), 50, null);

        KeyCheck check = keys.check(issued.secret());

        assertThat(issued.secret()).startsWith("sk_live_").hasSize(40);
        assertThat(issued.key().keyId()).startsWith("key_").doesNotContain(issued.secret());
        assertThat(check.status()).isEqualTo(KeyCheck.Status.VALID);
        assertThat(check.merchantId()).isEqualTo("shop-1");
        assertThat(check.scopes()).containsExactly(Scope.PAYMENTS_READ);
        assertThat(check.bucket().ratePerSecond()).isEqualTo(50);
        assertThat(check.key().createdBy()).isEqualTo("ada");
    }

    @Test
    void shouldStoreOnlyTheHashOfAKey() throws Exception {
        String secret = issue(Scope.all(), null, null).secret();

        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT key_hash, prefix FROM api_keys")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).doesNotContain(secret).hasSize(64);
                assertThat(secret).doesNotContain(rs.getString(1));
            }
        }
    }

    @Test
    void shouldRejectAnUnknownOrMalformedKey() {
        assertThat(keys.check("sk_live_00000000000000000000000000000000").status())
                .isEqualTo(KeyCheck.Status.UNKNOWN);
        assertThat(keys.check("not-a-key").status()).isEqualTo(KeyCheck.Status.UNKNOWN);
        assertThat(keys.check(null).status()).isEqualTo(KeyCheck.Status.UNKNOWN);
    }

    @Test
    void shouldRejectARevokedKeyAtOnceOnTheInstanceThatRevokedIt() {
        ApiKeys.Issued issued = issue(Scope.all(), null, null);
        assertThat(keys.check(issued.secret()).valid()).isTrue();

        ApiKey revoked = keys.revoke(issued.key().keyId(), "grace");

        assertThat(revoked.revokedAt()).isEqualTo(T0);
        assertThat(keys.check(issued.secret()).status()).isEqualTo(KeyCheck.Status.REVOKED);
    }

    @Test
    void shouldRejectAKeyRevokedByAnotherInstanceOnceTheCacheTtlHasPassed() {
        ApiKeys.Issued issued = issue(Scope.all(), null, null);
        assertThat(keys.check(issued.secret()).valid()).isTrue();

        anotherInstance().revoke(issued.key().keyId(), "grace");
        clocks.advance(TTL.minusMillis(1));
        KeyCheck justBefore = keys.check(issued.secret());
        clocks.advance(Duration.ofMillis(1));
        KeyCheck atTtl = keys.check(issued.secret());

        assertThat(justBefore.valid()).as("still cached").isTrue();
        assertThat(atTtl.status()).isEqualTo(KeyCheck.Status.REVOKED);
    }

    @Test
    void shouldRejectAnExpiredKeyWithoutReadingTheDatabase() {
        ApiKeys.Issued issued = issue(Scope.all(), null, Duration.ofSeconds(2));
        assertThat(keys.check(issued.secret()).valid()).isTrue();
        long lookups = keys.databaseLookups();

        clocks.advance(Duration.ofSeconds(2));
        KeyCheck check = keys.check(issued.secret());

        assertThat(check.status()).isEqualTo(KeyCheck.Status.EXPIRED);
        assertThat(keys.databaseLookups()).isEqualTo(lookups);
    }

    @Test
    void shouldReReadAKnownKeyEvenForACallerBeingSlowedDown() {
        ApiKeys.Issued issued = issue(Scope.all(), null, null);
        assertThat(keys.check(issued.secret(), false).status())
                .as("unknown to this instance: no read")
                .isEqualTo(KeyCheck.Status.UNKNOWN);
        assertThat(keys.check(issued.secret()).valid()).isTrue();

        anotherInstance().revoke(issued.key().keyId(), "grace");
        clocks.advance(TTL);

        assertThat(keys.check(issued.secret(), false).status()).isEqualTo(KeyCheck.Status.REVOKED);
    }

    @Test
    void shouldReadABusyKeyFromTheDatabaseOncePerCacheTtlWhateverTheRate() {
        String secret = issue(Scope.all(), null, null).secret();
        long before = keys.databaseLookups();

        for (int i = 0; i < 10_000; i++) {
            assertThat(keys.check(secret).valid()).isTrue();
        }
        long afterTenThousand = keys.databaseLookups() - before;
        clocks.advance(TTL);
        for (int i = 0; i < 10_000; i++) {
            keys.check(secret);
        }

        assertThat(afterTenThousand).isEqualTo(1);
        assertThat(keys.databaseLookups() - before).isEqualTo(2);
    }

    @Test
    void shouldKeepAKeysTokenBucketWhenItIsReadAgain() {
        String secret = issue(Scope.all(), 3, null).secret();
        for (int i = 0; i < 3; i++) {
            assertThat(keys.check(secret).bucket().tryTake()).isZero();
        }

        clocks.advance(TTL); // read again; the bucket has refilled for TTL seconds
        TokenBucket bucket = keys.check(secret).bucket();

        assertThat(bucket.ratePerSecond()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake()).isZero();
        }
        assertThat(bucket.tryTake()).as("a burst of one second's worth only").isPositive();
    }

    @Test
    void shouldShareAKeysLimitBetweenTheApiInstancesAlive() {
        String secret = issue(Scope.all(), 10, null).secret();
        java.util.concurrent.atomic.AtomicInteger alive =
                new java.util.concurrent.atomic.AtomicInteger(1);
        ApiKeys first = anotherInstance();
        ApiKeys second = anotherInstance();
        first.shareLimitsAmong(alive::get);
        second.shareLimitsAmong(alive::get);

        int alone = takenWithin(first, secret, 30);
        alive.set(2);
        clocks.advance(Duration.ofSeconds(1)); // a second refills each share
        int firstOfTwo = takenWithin(first, secret, 30);
        int secondOfTwo = takenWithin(second, secret, 30);
        alive.set(3);
        clocks.advance(Duration.ofSeconds(1));
        int eachOfThree = takenWithin(first, secret, 30);

        assertThat(alone).as("one instance: the whole limit").isEqualTo(10);
        assertThat(firstOfTwo + secondOfTwo)
                .as("two instances: the limit between them")
                .isEqualTo(10);
        assertThat(firstOfTwo).isEqualTo(5);
        assertThat(eachOfThree)
                .as("three: 10/3 rounded down, never more than the limit")
                .isEqualTo(3);
        assertThat(first.check(secret).bucket().ratePerSecond()).isEqualTo(3);
    }

    /** How many of {@code tries} requests the instance lets through at once. */
    private static int takenWithin(ApiKeys instance, String secret, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            if (instance.check(secret).bucket().tryTake() == 0) {
                taken++;
            }
        }
        return taken;
    }

    @Test
    void shouldRotateEveryActiveKeyKeepingScopesLimitAndLifetimeWithAnOverlap() {
        ApiKeys.Issued checkout =
                keys.issue(
                        "shop-2",
                        new ApiKeys.NewKey(
                                Set.of(Scope.PAYMENTS_WRITE), 20, Duration.ofDays(90), "checkout"),
                        "ada");
        ApiKeys.Issued backOffice =
                keys.issue(
                        "shop-2",
                        new ApiKeys.NewKey(Set.of(Scope.REFUNDS_WRITE), null, null, "office"),
                        "ada");
        ApiKeys.Issued revoked = keys.issue("shop-2", ApiKeys.NewKey.defaults(), "ada");
        keys.revoke(revoked.key().keyId(), "ada");
        clocks.advance(Duration.ofDays(10));

        List<ApiKeys.Rotation> rotations = keys.rotate("shop-2", Duration.ofHours(24), "grace");

        assertThat(rotations).hasSize(2);
        ApiKeys.Rotation first = rotations.get(0);
        assertThat(first.old().keyId()).isEqualTo(checkout.key().keyId());
        assertThat(first.old().expiresAt())
                .isEqualTo(T0.plus(Duration.ofDays(10)).plus(Duration.ofHours(24)));
        assertThat(first.successor().key().scopes()).containsExactly(Scope.PAYMENTS_WRITE);
        assertThat(first.successor().key().rateLimit()).isEqualTo(20);
        assertThat(first.successor().key().name()).isEqualTo("checkout");
        assertThat(first.successor().key().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(100)));
        assertThat(rotations.get(1).successor().key().expiresAt()).isNull();
        assertThat(rotations.get(1).successor().key().scopes())
                .containsExactly(Scope.REFUNDS_WRITE);
        // both work during the overlap, only the new one after it
        assertThat(keys.check(checkout.secret()).valid()).isTrue();
        assertThat(keys.check(first.successor().secret()).valid()).isTrue();
        clocks.advance(Duration.ofHours(24));
        assertThat(anotherInstance().check(checkout.secret()).status())
                .isEqualTo(KeyCheck.Status.EXPIRED);
        assertThat(anotherInstance().check(first.successor().secret()).valid()).isTrue();
    }

    @Test
    void shouldRefuseToRotateAMerchantWithoutActiveKeys() {
        assertThatThrownBy(() -> keys.rotate("shop-without-keys", Duration.ofHours(1), "grace"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no active key");
    }

    @Test
    void shouldListAMerchantsKeysWithTheirStateButNoSecret() {
        ApiKeys.Issued a =
                keys.issue(
                        "shop-3",
                        new ApiKeys.NewKey(Set.of(Scope.WEBHOOKS_WRITE), 5, null, "hooks"),
                        "ada");
        ApiKeys.Issued b = keys.issue("shop-3", ApiKeys.NewKey.defaults(), "ada");
        keys.revoke(b.key().keyId(), "ada");

        List<ApiKey> listed = keys.list("shop-3");

        assertThat(listed)
                .extracting(ApiKey::keyId)
                .containsExactly(a.key().keyId(), b.key().keyId());
        assertThat(listed.get(0).prefix()).isEqualTo(a.secret().substring(0, 12));
        assertThat(listed.get(0).toString()).doesNotContain(a.secret());
        assertThat(listed.get(0).scopes()).containsExactly(Scope.WEBHOOKS_WRITE);
        assertThat(listed.get(1).revokedAt()).isNotNull();
        assertThat(listed.get(1).rateLimit()).isEqualTo(ApiKeys.DEFAULT_RATE_LIMIT);
    }

    @Test
    void shouldRefuseAKeyForAMerchantThatDoesNotExistAndARevocationOfAnUnknownKey() {
        assertThatThrownBy(() -> keys.issue("nobody", ApiKeys.NewKey.defaults(), "ada"))
                .hasMessageContaining("no merchant nobody");
        assertThatThrownBy(() -> keys.revoke("key_unknown", "ada"))
                .hasMessageContaining("no key key_unknown");
    }
}
