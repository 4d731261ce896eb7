package org.fraudplatform.database.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldDeriveRfc5869TestCase1() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");

        byte[] okm = Hkdf.sha256(ikm, salt, info, 42);

        assertThat(HEX.formatHex(okm))
                .isEqualTo(
                        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                                + "34007208d5b887185865");
    }

    @Test
    void shouldDeriveRfc5869TestCase3WithoutSaltOrInfo() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");

        assertThat(HEX.formatHex(Hkdf.sha256(ikm, new byte[0], new byte[0], 42)))
                .isEqualTo(
                        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                                + "9d201395faa4b61a96c8");
        assertThat(Hkdf.sha256(ikm, null, new byte[0], 42))
                .isEqualTo(Hkdf.sha256(ikm, new byte[0], new byte[0], 42));
    }

    @Test
    void shouldDeriveUnrelatedKeysForDifferentLabels() {
        byte[] secret = new byte[32];

        assertThat(Hkdf.derive(secret, "one purpose", 32))
                .hasSize(32)
                .isNotEqualTo(Hkdf.derive(secret, "another purpose", 32))
                .isEqualTo(Hkdf.derive(secret, "one purpose", 32));
    }

    @Test
    void shouldRefuseALengthHkdfCannotGive() {
        assertThatThrownBy(() -> Hkdf.sha256(new byte[32], null, new byte[0], 255 * 32 + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
