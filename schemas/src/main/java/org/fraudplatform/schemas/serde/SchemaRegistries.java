package org.fraudplatform.schemas.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Opens a schema registry by URL. */
public final class SchemaRegistries {

    private static final Map<String, InMemorySchemaRegistry> NAMED = new ConcurrentHashMap<>();

    private SchemaRegistries() {}

    /**
     * {@code http(s)://host:port} → a {@link RestSchemaRegistryClient}; {@code mem://name} → the
     * JVM-wide in-memory registry of that name (for tests and single-process use).
     */
    public static SchemaRegistry connect(String url) {
        if (url.startsWith("mem://")) {
            return NAMED.computeIfAbsent(
                    url.substring(6), name -> InMemorySchemaRegistry.inMemory());
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return new RestSchemaRegistryClient(URI.create(url), Duration.ofSeconds(10));
        }
        throw new IllegalArgumentException(
                "schema registry URL must start with http://, https:// or mem://, was " + url);
    }
}
