package org.fraudplatform.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * An RFC 9457 problem detail, sent as {@code application/problem+json}.
 *
 * @param type URI naming the kind of problem (relative, under {@code /problems/})
 * @param title short summary of the kind
 * @param status HTTP status
 * @param detail what went wrong with this request
 * @param errors the offending fields, when the problem is about fields
 * @param invariant the ledger invariant a refused command would have broken, by name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        List<FieldProblem> errors,
        String invariant) {

    /**
     * One field that is wrong, named by its JSON path (e.g. {@code payment_method.card.number}).
     */
    public record FieldProblem(
            @JsonProperty("field") String field, @JsonProperty("message") String message) {}

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("/problems/" + slug, title, status, detail, List.of(), null);
    }

    /**
     * A command the ledger refused because it would break {@code invariant}: 422, nothing changed.
     */
    public static Problem invariantViolated(String invariant, String detail) {
        return new Problem(
                "/problems/invariant-violated",
                "The command would break a ledger invariant; nothing changed",
                422,
                detail,
                List.of(),
                invariant);
    }

    public static Problem invalidFields(List<FieldProblem> errors) {
        return new Problem(
                "/problems/invalid-request",
                "The request has invalid fields",
                400,
                errors.size() == 1
                        ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid",
                errors,
                null);
    }

    /** A 400 naming the fields whose text holds control characters. */
    public static Problem controlCharacters(List<String> fields) {
        return invalidFields(
                fields.stream()
                        .map(f -> new FieldProblem(f, "must not contain control characters"))
                        .toList());
    }

    /** A 400 naming the free-text fields that hold a card number (never repeating it). */
    public static Problem cardNumbers(List<String> fields) {
        return invalidFields(
                fields.stream().map(f -> new FieldProblem(f, CardNumberDetector.REFUSAL)).toList());
    }

    public static Problem malformedJson(String detail) {
        return of(400, "malformed-json", "The body is not valid JSON", detail);
    }

    public static Problem unauthorized(String detail) {
        return of(401, "unauthorized", "A valid API key is required", detail);
    }

    public static Problem notFound(String detail) {
        return of(404, "not-found", "No such resource", detail);
    }

    public static Problem methodNotAllowed(String method) {
        return of(
                405, "method-not-allowed", "Method not allowed", method + " is not supported here");
    }

    public static Problem conflict(String slug, String title, String detail) {
        return of(409, slug, title, detail);
    }

    public static Problem unsupportedMediaType(String contentType) {
        return of(
                415,
                "unsupported-media-type",
                "The body must be application/json",
                "Content-Type was " + (contentType == null ? "missing" : contentType));
    }

    public static Problem unavailable(String detail) {
        return of(503, "unavailable", "The service cannot take the request now", detail);
    }

    public static Problem internal() {
        return of(
                500,
                "internal",
                "Internal error",
                "The request failed; it can be retried with the same Idempotency-Key");
    }
}
