package org.fraudplatform.rules.engine;

import java.util.List;

/**
 * A ruleset that does not compile. The message lists every error, one per line, as {@code
 * file:line: message} with the file relative to the ruleset root ({@code file: message} when the
 * compiler gives no line).
 */
public final class RulesetCompilationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> errors;

    RulesetCompilationException(String version, List<String> errors) {
        super(
                "Ruleset "
                        + version
                        + " does not compile ("
                        + errors.size()
                        + (errors.size() == 1 ? " error" : " errors")
                        + "):\n"
                        + String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    /** Every error as {@code file:line: message}, in file and line order. */
    public List<String> errors() {
        return errors;
    }
}
