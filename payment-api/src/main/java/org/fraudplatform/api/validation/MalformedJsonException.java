package org.fraudplatform.api.validation;

/** The body is not a JSON object; the message says where parsing stopped. */
public final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedJsonException(String message) {
        super(message, null, false, false);
    }
}
