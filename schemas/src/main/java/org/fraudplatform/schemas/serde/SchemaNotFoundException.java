package org.fraudplatform.schemas.serde;

/** No schema has the requested id (Confluent error code 40403). */
public class SchemaNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(String message) {
        super(message);
    }
}
