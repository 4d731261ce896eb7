package org.fraudplatform.api.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates and their keys for tests, made by the JDK's {@code keytool} (the JDK has
 * no public API that makes a certificate) and written as PEM files the way an operator gets them
 * from {@code openssl}: the certificate chain, and the key as unencrypted PKCS#8. Valid for two
 * days from now; each kind is made once per JVM.
 */
public final class TestCertificates {

    /** A certificate chain and its private key. */
    public record Issued(List<X509Certificate> chain, PrivateKey key) {

        /** Writes the chain as PEM ({@code -----BEGIN CERTIFICATE-----}, leaf first). */
        public Path writeCertificate(Path file) {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate certificate : chain) {
                try {
                    pem.append(pem("CERTIFICATE", certificate.getEncoded()));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            return write(file, pem.toString());
        }

        /** Writes the key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
        public Path writeKey(Path file) {
            return write(file, pem("PRIVATE KEY", key.getEncoded()));
        }

        /** The server's own certificate. */
        public X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private static final Map<String, Issued> MADE = new ConcurrentHashMap<>();

    private TestCertificates() {}

    /** An EC (P-256) certificate for {@code CN=localhost} naming localhost and 127.0.0.1. */
    public static Issued localhost() {
        return make("EC", "dns:localhost,ip:127.0.0.1", "");
    }

    /** Another EC certificate for the same names, with a key of its own. */
    public static Issued anotherLocalhost() {
        return make("EC", "dns:localhost,ip:127.0.0.1", "another");
    }

    /** An RSA (2048 bits) certificate for {@code CN=localhost} naming localhost and 127.0.0.1. */
    public static Issued localhostRsa() {
        return make("RSA", "dns:localhost,ip:127.0.0.1", "");
    }

    /** An EC certificate that names only {@code elsewhere.example}, not this machine. */
    public static Issued elsewhere() {
        return make("EC", "dns:elsewhere.example", "");
    }

    /** A PEM block of {@code type} around {@code der}, 64 base64 characters a line. */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Issued make(String algorithm, String names, String variant) {
        return MADE.computeIfAbsent(
                algorithm + " " + names + " " + variant, k -> keytool(algorithm, names));
    }

    private static Issued keytool(String algorithm, String names) {
        try {
            Path dir = Files.createTempDirectory("test-certificate");
            Path store = dir.resolve("store.p12");
            String password = "test-store";
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    Path.of(System.getProperty("java.home"), "bin", "keytool")
                                            .toString(),
                                    "-genkeypair",
                                    "-alias",
                                    "test",
                                    "-keyalg",
                                    algorithm));
            command.addAll(
                    algorithm.equals("EC")
                            ? List.of("-groupname", "secp256r1")
                            : List.of("-keysize", "2048"));
            command.addAll(
                    List.of(
                            "-dname",
                            "CN=" + (names.startsWith("dns:localhost") ? "localhost" : "elsewhere"),
                            "-ext",
                            "SAN=" + names,
                            "-validity",
                            "2",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            store.toString(),
                            "-storepass",
                            password,
                            "-keypass",
                            password,
                            "-noprompt"));
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password.toCharArray());
            }
            PrivateKey key = (PrivateKey) keys.getKey("test", password.toCharArray());
            Certificate[] chain = keys.getCertificateChain("test");
            Files.delete(store);
            Files.delete(dir);
            return new Issued(Arrays.stream(chain).map(X509Certificate.class::cast).toList(), key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
