package org.fraudplatform.schemas.serde;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A schema registry as the serdes use it: Confluent's model of subjects, versions and global ids.
 * Implementations: {@link InMemorySchemaRegistry} (embedded default, optionally persisted) and
 * {@link RestSchemaRegistryClient} (Confluent's REST API). All are thread-safe.
 */
public interface SchemaRegistry extends AutoCloseable {

    /**
     * Registers a schema under a subject, or finds it when already there.
     *
     * @return the schema's global id (the same schema always gets the same id)
     * @throws IncompatibleSchemaException when the schema cannot read data written with the
     *     subject's latest version (BACKWARD compatibility)
     */
    int register(String subject, Schema schema);

    /**
     * The schema with this global id.
     *
     * @throws SchemaNotFoundException when no schema has that id
     */
    Schema schemaById(int id);

    /** The subject's newest version, if the subject exists. */
    Optional<RegisteredSchema> latest(String subject);

    /** The subject's version numbers, oldest first; empty when the subject does not exist. */
    List<Integer> versions(String subject);

    @Override
    default void close() {}

    /** A schema as registered: subject, version, global id. */
    record RegisteredSchema(String subject, int version, int id, Schema schema) {}
}
