package org.fraudplatform.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.fraudplatform.api.idempotency.IdempotencyStore;
import org.fraudplatform.api.merchants.MerchantStore;
import org.fraudplatform.api.payments.ContactAlongside;
import org.fraudplatform.api.tokenization.TokenizationKey;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.encryption.FieldCipher;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.workers.notifications.Channel;
import org.fraudplatform.workers.notifications.Contact;
import org.fraudplatform.workers.notifications.ContactStore;
import org.fraudplatform.workers.webhooks.WebhookStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Customers' contacts, notifications' recipients and webhook secrets in a real PostgreSQL, written
 * as the API writes them (the contact by the idempotency reservation's statement), under a master
 * key derived from a tokenization key as {@link PaymentApi} derives it.
 */
class EncryptionAtRestIT {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final TokenizationKey KEY =
            TokenizationKey.fromBase64(
                    Base64.getEncoder()
                            .encodeToString(
                                    new byte[] {
                                        -7, 3, 99, 12, -45, 8, 77, 1, -2, 64, 31, -100, 5, 6, 7, 8,
                                        9, 10, -11, 12, 13, 14, 15, -16, 17, 18, 19, 20, 21, 22,
                                        -23, 24
                                    }));
    private static final String EMAIL = "ada.lovelace@example.com";
    private static final String PHONE = "+4915112345678";
    private static final Contact ADA = new Contact(EMAIL, PHONE, "device-ada-1", "de");

    private Database db;
    private ContactStore contacts;
    private WebhookStore webhooks;

    @BeforeEach
    void database() {
        db = TestDatabase.fresh();
        contacts = new ContactStore(db.dataSource(), cipher());
        webhooks = new WebhookStore(db.dataSource(), cipher());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldKeepNeitherTheEmailNorThePhoneOfAPaymentsContactInClearAndReadThemBack() {
        // given: one contact written by the reservation (the payment path), one by the store
        IdempotencyStore idempotency = new IdempotencyStore(db.dataSource(), Duration.ofHours(24));
        idempotency.reserve(
                "m1",
                "order-1",
                "hash-1",
                "pay_reserved",
                T0,
                ContactAlongside.of(contacts, "m1", ADA, T0));
        contacts.remember("m1", "pay_remembered", ADA, T0);

        // then: the rows hold neither in clear
        for (String payment : List.of("pay_reserved", "pay_remembered")) {
            String row = rowText("payment_contacts", "payment_id", payment);
            assertThat(row)
                    .as(payment)
                    .doesNotContain(EMAIL)
                    .doesNotContain("lovelace")
                    .doesNotContain(PHONE)
                    .doesNotContain("15112345678")
                    .contains("enc1:1:")
                    .contains("device-ada-1");
            // and: a process started afresh with the same tokenization key reads the originals
            assertThat(new ContactStore(db.dataSource(), cipher()).find(payment))
                    .contains(new ContactStore.Stored("m1", ADA));
        }
    }

    @Test
    void shouldKeepAWebhookSecretEncryptedShowItOnceAndReadItBackToSign() {
        new MerchantStore(db.dataSource()).createMerchant("m1", "Shop");

        WebhookStore.Endpoint created =
                webhooks.create("m1", "https://hooks.example/in", List.of("*"), T0);

        assertThat(created.secret()).startsWith("whsec_");
        String row = rowText("webhook_endpoints", "id", created.id());
        assertThat(row)
                .doesNotContain(created.secret())
                .doesNotContain(created.secret().substring("whsec_".length()))
                .contains("enc1:1:");
        WebhookStore rereading = new WebhookStore(db.dataSource(), cipher());
        assertThat(rereading.endpoint(created.id())).contains(created);
        assertThat(rereading.endpoints("m1")).containsExactly(created);
    }

    @Test
    void shouldKeepOnlyABlindIndexOfANotificationsRecipientAndStillLimitPerRecipient() {
        assertThat(contacts.claim("pay_1", "payment.captured", Channel.EMAIL, EMAIL, 1, T0))
                .contains(ContactStore.Outcome.SENT);
        assertThat(
                        contacts.claim(
                                "pay_2",
                                "payment.captured",
                                Channel.EMAIL,
                                " Ada.Lovelace@Example.com",
                                1,
                                T0.plusSeconds(60)))
                .as("the same address, however written, is the same recipient")
                .contains(ContactStore.Outcome.RATE_LIMITED);
        assertThat(
                        contacts.claim(
                                "pay_3",
                                "payment.captured",
                                Channel.EMAIL,
                                "grace@example.com",
                                1,
                                T0.plusSeconds(60)))
                .contains(ContactStore.Outcome.SENT);

        List<String> recipients = column("SELECT recipient FROM customer_notifications");
        assertThat(recipients).hasSize(3).allMatch(r -> r.matches("[0-9a-f]{64}"));
        assertThat(recipients.get(0)).isEqualTo(recipients.get(1)).isNotEqualTo(recipients.get(2));
        assertThat(rowText("customer_notifications", "payment_id", "pay_1"))
                .doesNotContain("lovelace");
    }

    @Test
    void shouldReadContactsAndSecretsKeptInClearBeforeEncryptionAsTheyAre() {
        new MerchantStore(db.dataSource()).createMerchant("m1", "Shop");
        execute(
                "INSERT INTO payment_contacts (payment_id, merchant_id, email, phone, device_id,"
                        + " locale, created_at) VALUES ('pay_old', 'm1', '"
                        + EMAIL
                        + "', '"
                        + PHONE
                        + "', 'device-ada-1', 'de', now())");
        execute(
                "INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret, enabled,"
                        + " created_at) VALUES ('we_old', 'm1', 'https://hooks.example/in', '*',"
                        + " 'whsec_old', TRUE, now())");

        assertThat(contacts.find("pay_old")).contains(new ContactStore.Stored("m1", ADA));
        assertThat(webhooks.endpoint("we_old").orElseThrow().secret()).isEqualTo("whsec_old");
    }

    @Test
    void shouldRefuseAnEmailMovedIntoThePhoneColumnNamingTheColumn() {
        contacts.remember("m1", "pay_1", ADA, T0);

        execute("UPDATE payment_contacts SET phone = email WHERE payment_id = 'pay_1'");

        assertThatThrownBy(() -> contacts.find("pay_1"))
                .isInstanceOf(FieldCipher.Unreadable.class)
                .hasMessageStartingWith("payment_contacts.phone: ")
                .hasMessageNotContaining(EMAIL);
    }

    private FieldCipher cipher() {
        return FieldCipher.inDatabase(db.dataSource(), KEY.fieldEncryptionMaster());
    }

    /** The whole row as PostgreSQL prints it: every column, as a dump would hold it. */
    private String rowText(String table, String idColumn, String id) {
        List<String> rows =
                column("SELECT t::text FROM " + table + " t WHERE " + idColumn + " = '" + id + "'");
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private List<String> column(String sql) {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
