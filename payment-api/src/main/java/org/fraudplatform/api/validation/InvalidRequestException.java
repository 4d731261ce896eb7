package org.fraudplatform.api.validation;

import java.util.List;

/** The request parsed as JSON but some fields are invalid; every such field is listed. */
public final class InvalidRequestException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.size() + " invalid field(s)", null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
