package org.fraudplatform.api.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM files with the JDK alone: certificates ({@code
 * -----BEGIN CERTIFICATE-----}, one or more) through {@link CertificateFactory}, and an unencrypted
 * PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC, through {@link KeyFactory}.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} whose message names the file and what is
 * wrong with it: a missing or unreadable file, no certificate in it, a key in another format
 * (PKCS#1 {@code BEGIN RSA PRIVATE KEY}, SEC1 {@code BEGIN EC PRIVATE KEY}, an encrypted key), with
 * the {@code openssl} command that converts it.
 */
public final class PemFiles {

    /** The command that turns any private key openssl reads into an unencrypted PKCS#8 one. */
    static final String CONVERT = "openssl pkcs8 -topk8 -nocrypt -in %s -out key-pkcs8.pem";

    private static final Pattern PKCS8 =
            Pattern.compile(
                    "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]*)-----END PRIVATE KEY-----");

    private PemFiles() {}

    /**
     * The certificates of a PEM file, in the file's order.
     *
     * @throws IllegalArgumentException when the file is missing or unreadable, or holds no
     *     certificate or a malformed one
     */
    public static List<X509Certificate> certificates(Path file) {
        byte[] content = read(file, "certificate");
        try {
            List<X509Certificate> certificates =
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(new ByteArrayInputStream(content))
                            .stream()
                            .map(X509Certificate.class::cast)
                            .toList();
            if (certificates.isEmpty()) {
                throw noCertificate(file);
            }
            return certificates;
        } catch (CertificateException e) {
            if (!new String(content, StandardCharsets.US_ASCII)
                    .contains("-----BEGIN CERTIFICATE-----")) {
                throw noCertificate(file);
            }
            throw new IllegalArgumentException(
                    "certificate file "
                            + file
                            + ": not a valid PEM certificate ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }

    /**
     * The private key of a PEM file: the first {@code -----BEGIN PRIVATE KEY-----} block, RSA or
     * EC.
     *
     * @throws IllegalArgumentException when the file is missing or unreadable, or holds no
     *     unencrypted PKCS#8 RSA or EC key (the message says how to convert one)
     */
    public static PrivateKey privateKey(Path file) {
        String text = new String(read(file, "private key"), StandardCharsets.US_ASCII);
        String convert = String.format(CONVERT, file);
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                || text.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException(
                    "private key file "
                            + file
                            + ": the key is encrypted; the platform reads an unencrypted PKCS#8"
                            + " key (keep the file readable by the platform's user only). Decrypt"
                            + " it with: "
                            + convert);
        }
        for (String[] other :
                new String[][] {
                    {"-----BEGIN RSA PRIVATE KEY-----", "a PKCS#1 RSA key (BEGIN RSA PRIVATE KEY)"},
                    {"-----BEGIN EC PRIVATE KEY-----", "a SEC1 EC key (BEGIN EC PRIVATE KEY)"}
                }) {
            if (text.contains(other[0])) {
                throw new IllegalArgumentException(
                        "private key file "
                                + file
                                + ": "
                                + other[1]
                                + "; the platform reads PKCS#8 (BEGIN PRIVATE KEY). Convert it"
                                + " with: "
                                + convert);
            }
        }
        Matcher block = PKCS8.matcher(text);
        if (!block.find()) {
            throw new IllegalArgumentException(
                    "private key file "
                            + file
                            + ": no PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in it");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "private key file " + file + ": the PEM block is not valid base64", e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // not this algorithm: try the next
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + algorithm + " keys", e);
            }
        }
        throw new IllegalArgumentException(
                "private key file " + file + ": not an RSA or EC key (or a damaged one)");
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " file " + file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    what + " file " + file + ": cannot be read (" + e + ")", e);
        }
    }

    private static IllegalArgumentException noCertificate(Path file) {
        return new IllegalArgumentException(
                "certificate file "
                        + file
                        + ": no certificate (-----BEGIN CERTIFICATE-----) in it");
    }
}
