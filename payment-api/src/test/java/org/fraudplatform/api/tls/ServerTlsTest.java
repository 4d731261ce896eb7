package org.fraudplatform.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {

    @TempDir Path dir;

    @Test
    void shouldServeAnEcOrAnRsaCertificateWithItsOwnKey() {
        for (TestCertificates.Issued issued :
                new TestCertificates.Issued[] {
                    TestCertificates.localhost(), TestCertificates.localhostRsa()
                }) {
            ServerTls tls =
                    ServerTls.load(
                            issued.writeCertificate(dir.resolve("cert.pem")),
                            issued.writeKey(dir.resolve("key.pem")),
                            Instant.now());

            assertThat(tls.certificate()).isEqualTo(issued.certificate());
            assertThat(tls.describe()).startsWith("CN=localhost, valid until ");
        }
    }

    @Test
    void shouldRefuseAKeyThatDoesNotMatchTheCertificate() {
        Path certificate = TestCertificates.localhost().writeCertificate(dir.resolve("cert.pem"));
        Path otherKey = TestCertificates.anotherLocalhost().writeKey(dir.resolve("other-key.pem"));
        Path rsaKey = TestCertificates.localhostRsa().writeKey(dir.resolve("rsa-key.pem"));

        for (Path key : new Path[] {otherKey, rsaKey}) {
            assertThatThrownBy(() -> ServerTls.load(certificate, key, Instant.now()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(
                            "private key file "
                                    + key
                                    + " does not match the certificate CN=localhost of "
                                    + certificate);
        }
    }

    @Test
    void shouldRefuseAnExpiredCertificate() {
        TestCertificates.Issued issued = TestCertificates.localhost();
        Path certificate = issued.writeCertificate(dir.resolve("cert.pem"));
        Path key = issued.writeKey(dir.resolve("key.pem"));
        Instant expired = issued.certificate().getNotAfter().toInstant();

        assertThatThrownBy(() -> ServerTls.load(certificate, key, expired.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the certificate CN=localhost of "
                                + certificate
                                + " expired on "
                                + expired
                                + "; every client would refuse it: renew it");
    }

    @Test
    void shouldRefuseACertificateThatIsNotValidYet() {
        TestCertificates.Issued issued = TestCertificates.localhost();
        Path certificate = issued.writeCertificate(dir.resolve("cert.pem"));
        Path key = issued.writeKey(dir.resolve("key.pem"));
        Instant notBefore = issued.certificate().getNotBefore().toInstant();

        assertThatThrownBy(
                        () ->
                                ServerTls.load(
                                        certificate, key, notBefore.minus(Duration.ofMinutes(5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not valid before " + notBefore);
    }

    @Test
    void shouldEnableOnlyTls12AndTls13() {
        TestCertificates.Issued issued = TestCertificates.localhost();
        ServerTls tls =
                ServerTls.load(
                        issued.writeCertificate(dir.resolve("cert.pem")),
                        issued.writeKey(dir.resolve("key.pem")),
                        Instant.now());

        assertThat(tls.parameters().getProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(tls.parameters().getNeedClientAuth()).isFalse();
    }
}
