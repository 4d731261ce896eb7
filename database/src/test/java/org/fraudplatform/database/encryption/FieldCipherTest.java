package org.fraudplatform.database.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.fraudplatform.database.projection.Quarantine;
import org.junit.jupiter.api.Test;

class FieldCipherTest {

    private static final byte[] MASTER = filled(7);
    private static final byte[] ANOTHER_MASTER = filled(8);
    private static final String EMAIL = "payment_contacts.email";
    private static final String PHONE = "payment_contacts.phone";
    private static final String RECIPIENT = "customer_notifications.recipient";

    private final InMemoryKeys keys = new InMemoryKeys();
    private final FieldCipher cipher = new FieldCipher(keys, MASTER);

    @Test
    void shouldReadBackWhatItEncrypted() {
        String stored = cipher.encrypt(EMAIL, "zoë@example.com");

        assertThat(stored).startsWith("enc1:1:").doesNotContain("example");
        assertThat(cipher.decrypt(EMAIL, stored)).isEqualTo("zoë@example.com");
        assertThat(new FieldCipher(keys, MASTER).decrypt(EMAIL, stored))
                .isEqualTo("zoë@example.com");
    }

    @Test
    void shouldEncryptOneValueDifferentlyEachTime() {
        String first = cipher.encrypt(EMAIL, "ada@example.com");
        String second = cipher.encrypt(EMAIL, "ada@example.com");

        assertThat(first).isNotEqualTo(second);
        assertThat(cipher.decrypt(EMAIL, first)).isEqualTo(cipher.decrypt(EMAIL, second));
    }

    @Test
    void shouldRefuseAValueWithAChangedByteNamingTheColumn() {
        String stored = cipher.encrypt(PHONE, "+4915112345678");

        for (int i = 0; i < sealedLength(stored); i++) {
            String changed = flipByte(stored, i);
            assertThatThrownBy(() -> cipher.decrypt(PHONE, changed))
                    .isInstanceOf(FieldCipher.Unreadable.class)
                    .hasMessageStartingWith("payment_contacts.phone: ")
                    .hasMessageNotContaining("+49");
        }
    }

    @Test
    void shouldRefuseAValueMovedToAnotherColumn() {
        String email = cipher.encrypt(EMAIL, "ada@example.com");

        assertThatThrownBy(() -> cipher.decrypt(PHONE, email))
                .isInstanceOf(FieldCipher.Unreadable.class)
                .hasMessageContaining("payment_contacts.phone")
                .hasMessageContaining("fails authentication");
    }

    @Test
    void shouldRefuseAValueThatIsNotInTheFormatOrNamesAnUnknownDataKey() {
        String stored = cipher.encrypt(EMAIL, "ada@example.com");

        for (String bad :
                new String[] {
                    "enc1:",
                    "enc1:x:AAAA",
                    "enc1:1:not*base64",
                    "enc1:1:AAAA",
                    stored.replace("enc1:1:", "enc1:9:")
                }) {
            assertThatThrownBy(() -> cipher.decrypt(EMAIL, bad))
                    .as(bad)
                    .isInstanceOf(FieldCipher.Unreadable.class)
                    .hasMessageStartingWith("payment_contacts.email: ");
        }
    }

    @Test
    void shouldPassAValueKeptBeforeEncryptionThroughAsItIs() {
        assertThat(cipher.decrypt(EMAIL, "ada@example.com")).isEqualTo("ada@example.com");
        assertThat(cipher.decrypt(EMAIL, null)).isNull();
        assertThat(cipher.encrypt(EMAIL, null)).isNull();
        assertThat(FieldCipher.isEncrypted("ada@example.com")).isFalse();
        assertThat(FieldCipher.isEncrypted(cipher.encrypt(EMAIL, "ada@example.com"))).isTrue();
    }

    @Test
    void shouldGiveAStableBlindIndexThatDiffersBetweenValues() {
        String index = cipher.blindIndex(RECIPIENT, "ada@example.com");

        assertThat(index).matches("[0-9a-f]{64}");
        assertThat(
                        new FieldCipher(new InMemoryKeys(), MASTER)
                                .blindIndex(RECIPIENT, "ada@example.com"))
                .isEqualTo(index);
        assertThat(cipher.blindIndex(RECIPIENT, "  Ada@Example.COM ")).isEqualTo(index);
        assertThat(cipher.blindIndex(RECIPIENT, "bob@example.com")).isNotEqualTo(index);
        assertThat(cipher.blindIndex("another.column", "ada@example.com")).isNotEqualTo(index);
        assertThat(new FieldCipher(keys, ANOTHER_MASTER).blindIndex(RECIPIENT, "ada@example.com"))
                .isNotEqualTo(index);
    }

    @Test
    void shouldMakeOneWrappedDataKeyOnFirstUse() {
        assertThat(keys.all()).isEmpty();

        cipher.encrypt(EMAIL, "ada@example.com");
        new FieldCipher(keys, MASTER).encrypt(PHONE, "+4915112345678");

        assertThat(keys.all()).containsOnlyKeys(1);
        assertThat(keys.all().get(1)).hasSize(12 + 32 + 16); // iv, the wrapped key, the tag
        assertThat(cipher.currentKeyId()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToUnwrapTheDataKeyWithAnotherMasterKey() {
        String stored = cipher.encrypt(EMAIL, "ada@example.com");
        FieldCipher wrongMaster = new FieldCipher(keys, ANOTHER_MASTER);

        assertThatThrownBy(() -> wrongMaster.decrypt(EMAIL, stored))
                .isInstanceOf(FieldCipher.WrongMasterKey.class)
                .hasMessageContaining("data key 1")
                .hasMessageContaining("cannot be unwrapped with this master key");
        assertThatThrownBy(wrongMaster::currentKeyId)
                .isInstanceOf(FieldCipher.WrongMasterKey.class)
                .hasMessageContaining("cannot be unwrapped with this master key");
    }

    @Test
    void shouldCountAnUnreadableValueAsItsRecordsFaultAndAWrongMasterKeyAsTheConfigurations() {
        String stored = cipher.encrypt(EMAIL, "ada@example.com");
        Throwable unreadable = catchThrowable(() -> cipher.decrypt(PHONE, stored));
        Throwable wrongMaster =
                catchThrowable(() -> new FieldCipher(keys, ANOTHER_MASTER).decrypt(EMAIL, stored));

        // a consumer quarantines the one record, and waits on a wrong key instead of dropping all
        assertThat(Quarantine.isRecordFault(unreadable)).isTrue();
        assertThat(Quarantine.isRecordFault(wrongMaster)).isFalse();
    }

    @Test
    void shouldRefuseAMasterKeyShorterThan32Bytes() {
        assertThatThrownBy(() -> new FieldCipher(keys, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32 bytes");
    }

    private static int sealedLength(String stored) {
        return Base64.getUrlDecoder().decode(stored.substring(stored.lastIndexOf(':') + 1)).length;
    }

    private static String flipByte(String stored, int i) {
        int colon = stored.lastIndexOf(':');
        byte[] sealed = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
        sealed[i] ^= 1;
        return stored.substring(0, colon + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    private static byte[] filled(int b) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) b);
        return key;
    }

    /** The data keys as a map, as {@code field_encryption_keys} holds them. */
    static final class InMemoryKeys implements FieldCipher.DataKeys {

        private final Map<Integer, byte[]> keys = new TreeMap<>();

        @Override
        public synchronized Map<Integer, byte[]> all() {
            return new TreeMap<>(keys);
        }

        @Override
        public synchronized void addIfAbsent(int id, byte[] wrapped) {
            keys.putIfAbsent(id, wrapped.clone());
        }
    }
}
