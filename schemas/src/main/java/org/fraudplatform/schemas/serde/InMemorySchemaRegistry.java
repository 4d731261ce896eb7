package org.fraudplatform.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry in this JVM, with Confluent's semantics: global ids, per-subject versions,
 * BACKWARD compatibility enforced on registration. {@link #persistentIn(Path)} keeps every
 * registration as a file and reloads them, so a restarted embedded platform still decodes records
 * written with old ids. Thread-safe (all methods synchronized; registration is rare).
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<String, Integer> idByCanonical = new HashMap<>();
    private final Map<String, TreeMap<Integer, Integer>> subjects = new HashMap<>();
    private int nextId = 1;

    private InMemorySchemaRegistry(Path directory) {
        this.directory = directory;
    }

    /** A registry that forgets everything when the JVM ends. */
    public static InMemorySchemaRegistry inMemory() {
        return new InMemorySchemaRegistry(null);
    }

    /** A registry that keeps its registrations as files under {@code directory}. */
    public static InMemorySchemaRegistry persistentIn(Path directory) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(directory);
        registry.load();
        return registry;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String canonical = schema.toString();
        TreeMap<Integer, Integer> versions =
                subjects.computeIfAbsent(subject, s -> new TreeMap<>());
        Integer existingId = idByCanonical.get(canonical);
        if (existingId != null && versions.containsValue(existingId)) {
            return existingId;
        }
        if (!versions.isEmpty()) {
            Schema latest = byId.get(versions.lastEntry().getValue());
            var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new IncompatibleSchemaException(
                        "schema for subject "
                                + subject
                                + " is not backward compatible with version "
                                + versions.lastKey()
                                + ": "
                                + result.getResult().getIncompatibilities());
            }
        }
        int id = existingId != null ? existingId : nextId++;
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        byId.put(id, schema);
        idByCanonical.put(canonical, id);
        versions.put(version, id);
        persist(subject, version, id, schema);
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("no schema with id " + id);
        }
        return schema;
    }

    @Override
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        TreeMap<Integer, Integer> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        var last = versions.lastEntry();
        return Optional.of(
                new RegisteredSchema(
                        subject, last.getKey(), last.getValue(), byId.get(last.getValue())));
    }

    /** The given version of a subject. */
    public synchronized Optional<RegisteredSchema> version(String subject, int version) {
        TreeMap<Integer, Integer> versions = subjects.get(subject);
        Integer id = versions == null ? null : versions.get(version);
        return id == null
                ? Optional.empty()
                : Optional.of(new RegisteredSchema(subject, version, id, byId.get(id)));
    }

    /** Every subject, sorted. */
    public synchronized List<String> subjects() {
        return subjects.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        TreeMap<Integer, Integer> versions = subjects.get(subject);
        return versions == null ? List.of() : new ArrayList<>(versions.keySet());
    }

    private void persist(String subject, int version, int id, Schema schema) {
        if (directory == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
            ObjectNode node = JSON.createObjectNode();
            node.put("subject", subject)
                    .put("version", version)
                    .put("id", id)
                    .put("schema", schema.toString());
            Path target = directory.resolve(String.format("%s-v%d.json", subject, version));
            Path temporary = directory.resolve(target.getFileName() + ".tmp");
            Files.write(temporary, JSON.writeValueAsBytes(node));
            Files.move(
                    temporary,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist schema " + subject + " v" + version, e);
        }
    }

    private void load() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode node = JSON.readTree(file.toFile());
                int id = node.get("id").asInt();
                Schema schema = new Schema.Parser().parse(node.get("schema").asText());
                byId.put(id, schema);
                idByCanonical.put(schema.toString(), id);
                subjects.computeIfAbsent(node.get("subject").asText(), s -> new TreeMap<>())
                        .put(node.get("version").asInt(), id);
                nextId = Math.max(nextId, id + 1);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load the schema registry from " + directory, e);
        }
    }
}
