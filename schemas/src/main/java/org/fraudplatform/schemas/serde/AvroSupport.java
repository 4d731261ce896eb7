package org.fraudplatform.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate generated classes whose package it does not trust. This trusts
 * the project's contract package once per JVM, in the app and in tests alike.
 */
public final class AvroSupport {

    public static final String CONTRACT_PACKAGE = "org.fraudplatform.schemas.";
    private static boolean trusted;

    private AvroSupport() {}

    /** Idempotent. */
    public static synchronized void trustProjectPackages() {
        if (trusted) {
            return;
        }
        ClassSecurityValidator.ClassSecurityPredicate ours =
                type -> type.getName().startsWith(CONTRACT_PACKAGE);
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours));
        trusted = true;
    }
}
