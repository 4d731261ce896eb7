package org.fraudplatform.schemas.serde;

/** A schema registry refused or failed a request. */
public class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
