package org.fraudplatform.api.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The API's server side of TLS: a certificate chain and its private key, read from PEM files and
 * checked once at start, as an {@link SSLContext} over an in-memory {@link KeyStore} and the {@link
 * HttpsConfigurator} of the JDK's {@code HttpsServer}.
 *
 * <p>Checked by {@link #load}: both files are readable PEM ({@link PemFiles}); the private key
 * belongs to the chain's first certificate (a signature made with the key verifies with that
 * certificate's public key; the chain must start with the server's own certificate); no certificate
 * of the chain has expired or is not valid yet. A certificate outside its validity is refused
 * rather than served, because every client would refuse it at the handshake with a far less clear
 * error than the one the platform gives at start.
 *
 * <p>Only TLS 1.2 and TLS 1.3 are enabled ({@link #PROTOCOLS}), with the JDK's default cipher
 * suites for them. Clients are not asked for a certificate.
 */
public final class ServerTls {

    /** The protocol versions the API accepts; anything older is refused at the handshake. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final List<X509Certificate> chain;

    private ServerTls(SSLContext context, List<X509Certificate> chain) {
        this.context = context;
        this.chain = chain;
    }

    /**
     * Reads and checks a certificate chain and its key.
     *
     * @param certificateFile PEM certificates, the server's own first, then its intermediates
     * @param keyFile the server certificate's private key, unencrypted PKCS#8 PEM, RSA or EC
     * @param now the instant the certificates must be valid at
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static ServerTls load(Path certificateFile, Path keyFile, Instant now) {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        if (!belongTogether(key, chain.get(0))) {
            throw new IllegalArgumentException(
                    "private key file "
                            + keyFile
                            + " does not match the certificate "
                            + chain.get(0).getSubjectX500Principal().getName()
                            + " of "
                            + certificateFile
                            + " (the first certificate of the file must be the server's own,"
                            + " and the key its private key)");
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate certificate = chain.get(i);
            String which =
                    (i == 0 ? "the certificate " : "certificate " + (i + 1) + " ")
                            + certificate.getSubjectX500Principal().getName()
                            + " of "
                            + certificateFile;
            if (now.isAfter(certificate.getNotAfter().toInstant())) {
                throw new IllegalArgumentException(
                        which
                                + " expired on "
                                + certificate.getNotAfter().toInstant()
                                + "; every client would refuse it: renew it");
            }
            if (now.isBefore(certificate.getNotBefore().toInstant())) {
                throw new IllegalArgumentException(
                        which
                                + " is not valid before "
                                + certificate.getNotBefore().toInstant()
                                + "; every client would refuse it until then (check the clock)");
            }
        }
        return new ServerTls(context(key, chain), chain);
    }

    /** The context the server's TLS engines come from. */
    public SSLContext context() {
        return context;
    }

    /** The server's own certificate, the chain's first. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The parameters of every connection: TLS 1.2 and 1.3 only, no client certificate. */
    public SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setNeedClientAuth(false);
        return parameters;
    }

    /** What the JDK's {@code HttpsServer} applies to each new connection. */
    public HttpsConfigurator configurator() {
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters connection) {
                connection.setSSLParameters(parameters());
            }
        };
    }

    /** The server certificate's subject and last day, for the start-up summary. */
    public String describe() {
        return certificate().getSubjectX500Principal().getName()
                + ", valid until "
                + certificate().getNotAfter().toInstant();
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm =
                switch (key.getAlgorithm()) {
                    case "RSA" -> "SHA256withRSA";
                    case "EC" -> "SHA256withECDSA";
                    default -> null;
                };
        if (algorithm == null
                || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // a key of another curve than the certificate's, for one
            return false;
        }
    }

    private static SSLContext context(PrivateKey key, List<X509Certificate> chain) {
        try {
            // the store lives in memory only; its password protects nothing outside this method
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            char[] password = java.util.HexFormat.of().formatHex(random).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("api", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS context", e);
        }
    }
}
