package org.fraudplatform.api.tokenization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    private static final String KEY_A =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String KEY_B =
            Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    @TempDir Path dir;

    private final Tokenizer tokenizer = new Tokenizer(TokenizationKey.fromBase64(KEY_A));

    @Test
    void shouldGiveTheSameCardTheSameTokenEveryTime() {
        String token = tokenizer.cardToken("4242424242424242");

        assertThat(token).startsWith("tok_").hasSize(36).doesNotContain("4242424242424242");
        assertThat(new Tokenizer(TokenizationKey.fromBase64(KEY_A)).cardToken("4242424242424242"))
                .isEqualTo(token);
        assertThat(tokenizer.cardToken("5555555555554444")).isNotEqualTo(token);
    }

    @Test
    void shouldKeepTheTokenOfAKnownKeyStableAcrossReleases() {
        // Tokens key every card's history; a change of algorithm would split each card in two.
        assertThat(tokenizer.cardToken("4242424242424242"))
                .isEqualTo("tok_Hz3Yd2H2RtDpnknkhZZ8_b7RYaJQcEtQ");
    }

    @Test
    void shouldGiveDifferentTokensUnderDifferentKeys() {
        assertThat(new Tokenizer(TokenizationKey.fromBase64(KEY_B)).cardToken("4242424242424242"))
                .isNotEqualTo(tokenizer.cardToken("4242424242424242"));
    }

    @Test
    void shouldScopeFingerprintsToTheMerchant() {
        assertThat(tokenizer.cardFingerprint("merchant-a", "4242424242424242"))
                .startsWith("fp_")
                .isNotEqualTo(tokenizer.cardFingerprint("merchant-b", "4242424242424242"));
    }

    @Test
    void shouldDeriveTheFieldEncryptionMasterKeyFromTheTokenizationKeyUnderItsOwnLabel() {
        // Every encrypted contact and webhook secret depends on it: pinned like the card token.
        byte[] master = TokenizationKey.fromBase64(KEY_A).fieldEncryptionMaster();

        assertThat(HexFormat.of().formatHex(master))
                .isEqualTo("c71c8686cab14688ef918a0c5571092d2440c4aa3b50d838151a237d62f93392");
        assertThat(master).isNotEqualTo(TokenizationKey.fromBase64(KEY_A).bytes());
        assertThat(TokenizationKey.fromBase64(KEY_B).fieldEncryptionMaster()).isNotEqualTo(master);
    }

    @Test
    void shouldHashEmailsRegardlessOfCaseAndSurroundingSpace() {
        assertThat(tokenizer.emailHash(" Ada@Example.com "))
                .isEqualTo(tokenizer.emailHash("ada@example.com"));
    }

    @Test
    void shouldCreateTheKeyFileOnceReadableOnlyByItsOwner() throws Exception {
        Path file = dir.resolve("tokenization.key");

        TokenizationKey created = TokenizationKey.loadOrCreate(file);
        TokenizationKey loaded = TokenizationKey.loadOrCreate(file);

        assertThat(loaded).isEqualTo(created);
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldRefuseAKeyFileOthersCanRead() throws Exception {
        Path file = dir.resolve("tokenization.key");
        TokenizationKey.loadOrCreate(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> TokenizationKey.loadOrCreate(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void shouldAcceptRandomBytesAsAConfiguredKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        key[0] = (byte) 0xff;

        assertThat(TokenizationKey.problemsOfConfigured(Base64.getEncoder().encodeToString(key)))
                .isEmpty();
    }

    @Test
    void shouldRefuseAConfiguredKeyThatIsPublishedTextShortOrNotBase64() {
        assertThat(TokenizationKey.problemsOfConfigured(KEY_A))
                .anySatisfy(p -> assertThat(p).contains("published"))
                .anySatisfy(p -> assertThat(p).contains("text"));
        assertThat(
                        TokenizationKey.problemsOfConfigured(
                                Base64.getEncoder().encodeToString(new byte[16])))
                .anySatisfy(p -> assertThat(p).contains("at least 32 bytes"));
        assertThat(TokenizationKey.problemsOfConfigured("not base64!"))
                .anySatisfy(p -> assertThat(p).contains("not valid base64"));
        for (String key : TokenizationKey.PUBLISHED) {
            assertThat(TokenizationKey.problemsOfConfigured(key)).isNotEmpty();
        }
    }

    @Test
    void shouldRefuseAShortKey() {
        assertThatThrownBy(
                        () ->
                                TokenizationKey.fromBase64(
                                        Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("at least 32 bytes");
    }
}
