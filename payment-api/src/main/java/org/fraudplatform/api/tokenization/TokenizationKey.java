package org.fraudplatform.api.tokenization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.fraudplatform.database.encryption.FieldCipher;
import org.fraudplatform.database.encryption.Hkdf;

/**
 * The platform's root secret: the key behind every token and fingerprint (32 bytes, from
 * configuration or generated once into a file only its owner can read), and the source of the
 * master key of the encryption at rest ({@link #fieldEncryptionMaster}).
 */
public final class TokenizationKey {

    static final int LENGTH = 32;

    /** The HKDF label of the field encryption master key; a new label gives a new master. */
    static final String FIELD_ENCRYPTION_LABEL = "fraud-platform field encryption v1";

    /**
     * Keys this repository has published as examples (an old compose default, test keys): known to
     * everyone, so never a deployment's secret.
     */
    static final Set<String> PUBLISHED =
            Set.of(
                    "ZnJhdWQtcGxhdGZvcm0tZGVtby1rZXktY2hhbmdlLW1lIQ==",
                    "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                    "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");

    private final byte[] bytes;

    private TokenizationKey(byte[] bytes) {
        if (bytes.length < LENGTH) {
            throw new IllegalArgumentException(
                    "the tokenization key must have at least "
                            + LENGTH
                            + " bytes, has "
                            + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** A key given in configuration, base64-encoded. */
    public static TokenizationKey fromBase64(String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the tokenization key is not valid base64", e);
        }
        return new TokenizationKey(decoded);
    }

    /**
     * What is wrong with a key given in configuration, if anything: not base64, shorter than 32
     * bytes, a key published as an example, or printable text (a password, not random bytes: 32
     * random bytes are all printable with a chance of one in 10^14). Generate one with {@code
     * openssl rand -base64 32}.
     */
    public static List<String> problemsOfConfigured(String base64) {
        List<String> problems = new ArrayList<>();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            problems.add("the tokenization key is not valid base64");
            return problems;
        }
        if (PUBLISHED.contains(base64.trim())) {
            problems.add(
                    "the tokenization key is an example published with the platform, known to"
                            + " everyone");
        }
        if (decoded.length < LENGTH) {
            problems.add(
                    "the tokenization key must have at least "
                            + LENGTH
                            + " bytes, has "
                            + decoded.length);
        }
        boolean text = true;
        for (byte b : decoded) {
            text &= b >= 0x20 && b < 0x7f;
        }
        if (text && decoded.length > 0) {
            problems.add("the tokenization key is text (a password?), not random bytes");
        }
        if (!problems.isEmpty()) {
            problems.add("generate one with: openssl rand -base64 32");
        }
        return problems;
    }

    /**
     * Reads the key file, or creates it with 32 random bytes and owner-only permissions. Refuses a
     * file that others may read.
     */
    public static TokenizationKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (!PosixFilePermissions.fromString("rw-------").containsAll(permissions)) {
                    throw new IllegalStateException(
                            "the tokenization key file "
                                    + file
                                    + " is readable by others ("
                                    + PosixFilePermissions.toString(permissions)
                                    + "); make it rw------- (chmod 600)");
                }
                return new TokenizationKey(Files.readAllBytes(file));
            }
            byte[] key = new byte[LENGTH];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            Files.write(file, key);
            return new TokenizationKey(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the tokenization key " + file, e);
        }
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The master key of the {@link FieldCipher}: 32 bytes derived from this key with HKDF-SHA256
     * under its own label, so neither key says anything about the other.
     */
    public byte[] fieldEncryptionMaster() {
        return Hkdf.derive(bytes, FIELD_ENCRYPTION_LABEL, 32);
    }

    @Override
    public String toString() {
        return "TokenizationKey[" + bytes.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizationKey k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
