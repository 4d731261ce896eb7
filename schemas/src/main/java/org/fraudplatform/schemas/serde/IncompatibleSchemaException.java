package org.fraudplatform.schemas.serde;

/** The schema is not BACKWARD compatible with the subject's latest version (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    public IncompatibleSchemaException(String message) {
        super(message);
    }
}
