package org.fraudplatform.api.validation;

/**
 * One invalid field: its JSON path ({@code payment_method.card.number}) and what is wrong. The
 * message never repeats a sensitive value.
 */
public record FieldError(String field, String message) {}
