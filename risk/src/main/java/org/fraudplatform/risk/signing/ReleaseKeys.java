package org.fraudplatform.risk.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * The release-signing key pair on disk: {@code release-signing-key}, the Ed25519 private key in
 * PKCS#8 (PEM, {@code -----BEGIN PRIVATE KEY-----}, owner read/write only), and beside it {@code
 * release-signing-key.pub}, its public key as X.509 SubjectPublicKeyInfo (PEM, {@code -----BEGIN
 * PUBLIC KEY-----}). Both are what OpenSSL writes and reads ({@code openssl pkey -in
 * release-signing-key -pubout} gives the public key again). A key file that is missing, unreadable,
 * readable by others (the private one) or not an Ed25519 key is refused with a message that names
 * the file and says what to do.
 */
public final class ReleaseKeys {

    /** The private key's file name in the platform's data folder. */
    public static final String PRIVATE_KEY_FILE = "release-signing-key";

    /** What the public key's file name adds to the private key's. */
    public static final String PUBLIC_KEY_SUFFIX = ".pub";

    private static final String OWNER_ONLY = "rw-------";

    private ReleaseKeys() {}

    /** The public key file that belongs to a private key file: the same name plus {@code .pub}. */
    public static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + PUBLIC_KEY_SUFFIX);
    }

    /** A new Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ReleaseSignature.ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no " + ReleaseSignature.ALGORITHM, e);
        }
    }

    /**
     * Creates the key pair at {@code privateKeyFile} and its {@code .pub} when the private key does
     * not exist; true when this call created it. Safe when several processes start at once on the
     * same folder: one creates the pair, the others wait for it (up to 10 s) and use it.
     */
    public static boolean ensure(Path privateKeyFile) {
        Path publicKeyFile = publicKeyFile(privateKeyFile);
        try {
            Path folder = privateKeyFile.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            try {
                // claims the name atomically: whoever creates the empty file writes the pair
                Files.createFile(
                        privateKeyFile,
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString(OWNER_ONLY)));
            } catch (FileAlreadyExistsException e) {
                awaitComplete(privateKeyFile, publicKeyFile);
                return false;
            }
            KeyPair pair = generate();
            // the public key first: a private key with content always has its public key beside it
            replace(publicKeyFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), "rw-r--r--");
            replace(privateKeyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), OWNER_ONLY);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the release-signing key " + privateKeyFile + ": " + e, e);
        }
    }

    private static void awaitComplete(Path privateKeyFile, Path publicKeyFile) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.size(privateKeyFile) == 0 || !Files.exists(publicKeyFile)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the release-signing key "
                                + privateKeyFile
                                + " is empty or has no "
                                + publicKeyFile.getFileName()
                                + " beside it: remove both and start again to create a new pair");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the key pair", e);
            }
        }
    }

    /** Writes beside the target, then moves over it, so nobody ever reads half a key. */
    private static void replace(Path file, String content, String permissions) throws IOException {
        Path temporary =
                Files.createTempFile(
                        file.toAbsolutePath().getParent(),
                        "." + file.getFileName(),
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString(permissions)));
        try {
            Files.writeString(temporary, content);
            Files.move(
                    temporary,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes a key pair as {@link #ensure} does, replacing files that exist (for tests, tools). */
    public static void write(KeyPair pair, Path privateKeyFile) throws IOException {
        Files.createDirectories(privateKeyFile.toAbsolutePath().getParent());
        replace(
                publicKeyFile(privateKeyFile),
                pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                "rw-r--r--");
        replace(privateKeyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), OWNER_ONLY);
    }

    /** Reads a private key file; refuses one that is missing, unreadable or readable by others. */
    public static PrivateKey readPrivateKey(Path file) {
        refuseReadableByOthers(file);
        byte[] der = decode(read(file, "release-signing key"), file, "PRIVATE KEY");
        try {
            return KeyFactory.getInstance(ReleaseSignature.ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "the release-signing key "
                            + file
                            + " is not an Ed25519 private key in PKCS#8: "
                            + e.getMessage(),
                    e);
        }
    }

    /** Reads a public key file (PEM, or the bare base64 of the X.509 encoding). */
    public static PublicKey readPublicKey(Path file) {
        byte[] der = decode(read(file, "release public key"), file, "PUBLIC KEY");
        try {
            return KeyFactory.getInstance(ReleaseSignature.ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "the release public key "
                            + file
                            + " is not an Ed25519 public key in X.509: "
                            + e.getMessage(),
                    e);
        }
    }

    private static void refuseReadableByOthers(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no POSIX permissions here (or no file: read says so)
        }
        if (!PosixFilePermissions.fromString(OWNER_ONLY).containsAll(permissions)) {
            throw new IllegalArgumentException(
                    "the release-signing key "
                            + file
                            + " is readable by others ("
                            + PosixFilePermissions.toString(permissions)
                            + "); make it rw------- (chmod 600)");
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "no "
                            + what
                            + " at "
                            + file
                            + " (the platform creates the pair in its data folder on first start;"
                            + " give the file with its option otherwise)",
                    e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(
                    "cannot read the " + what + " " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the " + what + " " + file + ": " + e, e);
        }
    }

    private static byte[] decode(String text, Path file, String label) {
        StringBuilder base64 = new StringBuilder();
        for (String line : text.strip().split("\\R")) {
            if (!line.startsWith("-----")) {
                base64.append(line.strip());
            } else if (line.startsWith("-----BEGIN ")
                    && !line.equals("-----BEGIN " + label + "-----")) {
                throw new IllegalArgumentException(
                        file
                                + " holds a "
                                + line.replaceAll("^-----BEGIN |-----$", "")
                                + ", not a "
                                + label);
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    file + " is not PEM or base64: " + e.getMessage(), e);
        }
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN "
                + label
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + label
                + "-----\n";
    }
}
