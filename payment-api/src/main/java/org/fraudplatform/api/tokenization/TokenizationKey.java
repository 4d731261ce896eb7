package org.fraudplatform.api.tokenization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The secret behind every token and fingerprint: 32 bytes, from configuration or generated once
 * into a file only its owner can read.
 */
public final class TokenizationKey {

    static final int LENGTH = 32;
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
