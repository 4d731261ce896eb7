package org.fraudplatform.providers.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A key or signing secret of a provider. It never shows itself: {@code toString()} names only where
 * it came from, so a secret in a settings record, an exception or a log line prints as {@code
 * Secret[env:STRIPE_SECRET_KEY]}.
 */
public final class Secret {

    private final String value;
    private final String origin;

    private Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.origin = origin;
        if (value.isBlank()) {
            throw new IllegalArgumentException("the secret from " + origin + " is empty");
        }
    }

    /** A secret given in code (tests). */
    public static Secret of(String value) {
        return new Secret(value, "value");
    }

    /**
     * Reads a secret from where a setting points: {@code env:NAME} (an environment variable) or
     * {@code file:PATH} (the whole file, trailing line breaks removed). A secret is never given
     * inline in a setting, where it would end up in shell histories and process lists.
     *
     * @throws IllegalArgumentException naming the setting (never the secret) when it cannot be read
     */
    public static Secret from(String setting, String reference, Map<String, String> environment) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException(setting + " is required (env:NAME or file:PATH)");
        }
        if (reference.startsWith("env:")) {
            String name = reference.substring(4);
            String value = environment.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(
                        setting + ": the environment variable " + name + " is not set");
            }
            return new Secret(value.strip(), reference);
        }
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring(5));
            try {
                return new Secret(
                        Files.readString(file, StandardCharsets.UTF_8).strip(), reference);
            } catch (IOException e) {
                throw new UncheckedIOException(setting + ": cannot read " + file, e);
            }
        }
        throw new IllegalArgumentException(
                setting + " must be env:NAME or file:PATH; a secret is never given inline");
    }

    /** The secret itself, for the one header or signature that needs it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Secret[" + origin + "]";
    }
}
