package org.fraudplatform.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

    @TempDir Path dir;

    @Test
    void shouldReadACertificateChainAndAnEcKeyInPkcs8() {
        TestCertificates.Issued issued = TestCertificates.localhost();
        Path certificate = issued.writeCertificate(dir.resolve("cert.pem"));
        Path key = issued.writeKey(dir.resolve("key.pem"));

        List<X509Certificate> chain = PemFiles.certificates(certificate);
        PrivateKey read = PemFiles.privateKey(key);

        assertThat(chain).containsExactlyElementsOf(issued.chain());
        assertThat(read.getAlgorithm()).isEqualTo("EC");
        assertThat(read.getEncoded()).isEqualTo(issued.key().getEncoded());
    }

    @Test
    void shouldReadAnRsaKeyInPkcs8() {
        TestCertificates.Issued issued = TestCertificates.localhostRsa();

        PrivateKey read = PemFiles.privateKey(issued.writeKey(dir.resolve("key.pem")));

        assertThat(read.getAlgorithm()).isEqualTo("RSA");
        assertThat(read.getEncoded()).isEqualTo(issued.key().getEncoded());
    }

    @Test
    void shouldRefuseAMissingFileNamingIt() {
        Path missing = dir.resolve("nowhere.pem");

        assertThatThrownBy(() -> PemFiles.certificates(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certificate file " + missing + ": no such file");
        assertThatThrownBy(() -> PemFiles.privateKey(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("private key file " + missing + ": no such file");
    }

    @Test
    void shouldRefuseAPkcs1RsaKeySayingHowToConvertIt() throws IOException {
        byte[] pkcs8 = TestCertificates.localhostRsa().key().getEncoded();
        Path key =
                Files.writeString(
                        dir.resolve("rsa.pem"),
                        TestCertificates.pem("RSA PRIVATE KEY", pkcs1Inside(pkcs8)));

        assertThatThrownBy(() -> PemFiles.privateKey(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("private key file " + key + ": a PKCS#1 RSA key")
                .hasMessageContaining("the platform reads PKCS#8 (BEGIN PRIVATE KEY)")
                .hasMessageEndingWith(
                        "openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem");
    }

    @Test
    void shouldRefuseAnEncryptedKeySayingHowToDecryptIt() throws IOException {
        // what openssl pkcs8 -topk8 writes with a passphrase; its content is never read
        Path key =
                Files.writeString(
                        dir.resolve("encrypted.pem"),
                        TestCertificates.pem("ENCRYPTED PRIVATE KEY", new byte[96]));

        assertThatThrownBy(() -> PemFiles.privateKey(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("private key file " + key + ": the key is encrypted")
                .hasMessageEndingWith(
                        "openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem");
    }

    @Test
    void shouldRefuseTheCertificateAndTheKeyGivenTheWrongWayRound() {
        TestCertificates.Issued issued = TestCertificates.localhost();
        Path certificate = issued.writeCertificate(dir.resolve("cert.pem"));
        Path key = issued.writeKey(dir.resolve("key.pem"));

        assertThatThrownBy(() -> PemFiles.certificates(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "certificate file "
                                + key
                                + ": no certificate (-----BEGIN CERTIFICATE-----) in it");
        assertThatThrownBy(() -> PemFiles.privateKey(certificate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "private key file "
                                + certificate
                                + ": no PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in it");
    }

    /**
     * The PKCS#1 {@code RSAPrivateKey} a PKCS#8 {@code PrivateKeyInfo} wraps: its last field, an
     * OCTET STRING after the version and the algorithm.
     */
    private static byte[] pkcs1Inside(byte[] pkcs8) {
        int[] at = {0};
        enter(pkcs8, at); // PrivateKeyInfo
        skip(pkcs8, at); // version
        skip(pkcs8, at); // algorithm
        int length = enter(pkcs8, at); // privateKey
        return Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
    }

    /** Reads a tag and length at {@code at}, leaving {@code at} on the content; the length. */
    private static int enter(byte[] der, int[] at) {
        at[0]++; // tag
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }

    private static void skip(byte[] der, int[] at) {
        int length = enter(der, at);
        at[0] += length;
    }
}
