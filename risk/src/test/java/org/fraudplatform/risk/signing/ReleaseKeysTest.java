package org.fraudplatform.risk.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release-signing key pair on disk: created once, the private key owner-only; read back as the
 * signer and the trusted key; a missing, unreadable, shared or mismatched key file refused with a
 * message that names it.
 */
class ReleaseKeysTest {

    @TempDir Path dir;

    @Test
    void shouldCreateTheKeyPairOnceWithAnOwnerOnlyPrivateKey() throws Exception {
        Path key = dir.resolve(ReleaseKeys.PRIVATE_KEY_FILE);

        boolean created = ReleaseKeys.ensure(key);
        String first = Files.readString(key);
        boolean again = ReleaseKeys.ensure(key);

        assertThat(created).isTrue();
        assertThat(again).isFalse();
        assertThat(Files.readString(key))
                .isEqualTo(first)
                .startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("release-signing-key.pub")))
                .startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(dir.toFile().list())
                .as("and nothing else is left in the folder")
                .containsExactlyInAnyOrder("release-signing-key", "release-signing-key.pub");
    }

    @Test
    void shouldSignWithTheCreatedKeyWhatItsPublicKeyVerifies() {
        Path key = dir.resolve(ReleaseKeys.PRIVATE_KEY_FILE);
        ReleaseKeys.ensure(key);

        ReleaseSigner signer = ReleaseSigner.read(key);
        TrustedKeys trusted = TrustedKeys.read(List.of(ReleaseKeys.publicKeyFile(key)));

        assertThat(trusted.keyIds()).containsExactly(signer.keyId());
        assertThat(
                        trusted.check(
                                signer.sign(
                                        SignedReleases.ruleset(
                                                SignedReleases.editedPackagedRuleset("x"), "ana"))))
                .isEmpty();
    }

    @Test
    void shouldReadAPublicKeyGivenAsBareBase64() throws Exception {
        var pair = SignedReleases.keyPair(3);
        Path file = dir.resolve("colleague.pub");
        Files.writeString(
                file, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n");

        assertThat(TrustedKeys.read(List.of(file)).keyIds())
                .containsExactly(ReleaseSignature.keyId(pair.getPublic()));
    }

    @Test
    void shouldRefuseAMissingSigningKeyNamingTheFile() {
        Path missing = dir.resolve("nowhere").resolve("release-signing-key");

        assertThatThrownBy(() -> ReleaseSigner.read(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no release-signing key at " + missing);
    }

    @Test
    void shouldRefuseASigningKeyThatOthersCanRead() throws Exception {
        Path key = dir.resolve(ReleaseKeys.PRIVATE_KEY_FILE);
        ReleaseKeys.ensure(key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ReleaseSigner.read(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readable by others")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void shouldRefuseASigningKeyThatDoesNotBelongToThePublicKeyBesideIt() throws Exception {
        Path key = dir.resolve(ReleaseKeys.PRIVATE_KEY_FILE);
        ReleaseKeys.write(SignedReleases.keyPair(4), key);
        Path other = dir.resolve("other");
        ReleaseKeys.write(SignedReleases.keyPair(5), other);
        Files.copy(
                ReleaseKeys.publicKeyFile(other),
                ReleaseKeys.publicKeyFile(key),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> ReleaseSigner.read(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the public key");
    }

    @Test
    void shouldRefuseAPublicKeyFileThatHoldsAPrivateKey() {
        Path key = dir.resolve(ReleaseKeys.PRIVATE_KEY_FILE);
        ReleaseKeys.ensure(key);

        assertThatThrownBy(() -> TrustedKeys.read(List.of(key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PUBLIC KEY");
    }
}
