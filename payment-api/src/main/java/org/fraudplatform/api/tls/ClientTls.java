package org.fraudplatform.api.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS for the platform's own tools (the load generator, the simulator): an
 * {@link SSLContext} that trusts exactly the certificates of a PEM file, such as the API's own
 * self-signed certificate or the authority that signed it, instead of the JDK's list of
 * authorities. Host names are still checked by the client against the certificate.
 */
public final class ClientTls {

    private ClientTls() {}

    /**
     * A context trusting the certificates of {@code file} and nothing else.
     *
     * @throws IllegalArgumentException when the file is missing or holds no certificate
     */
    public static SSLContext trusting(Path file) {
        List<X509Certificate> certificates = PemFiles.certificates(file);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context trusting " + file, e);
        }
    }
}
