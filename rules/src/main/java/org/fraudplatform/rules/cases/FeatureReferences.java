package org.fraudplatform.rules.cases;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fraudplatform.rules.engine.RulesetSource;

/**
 * Finds the feature names a ruleset's files read ({@code has("…")}, {@code get("…")}, {@code
 * getOrDefault("…", …)}) that the platform does not compute: a misspelt feature never matches, so
 * its rule would silently never fire.
 */
public final class FeatureReferences {

    private static final Pattern READ =
            Pattern.compile("\\b(?:has|get|getOrDefault)\\(\\s*\"\"?([a-z][a-z0-9_]*)\"\"?");

    private FeatureReferences() {}

    /** Every unknown feature read, as {@code file:line: message}, in file and line order. */
    public static List<String> unknown(RulesetSource ruleset, Set<String> knownFeatures) {
        List<String> problems = new ArrayList<>();
        for (RulesetSource.RuleFile file : ruleset.files()) {
            String[] lines = new String(file.content(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = READ.matcher(lines[i]);
                while (m.find()) {
                    if (!knownFeatures.contains(m.group(1))) {
                        problems.add(
                                file.name()
                                        + ":"
                                        + (i + 1)
                                        + ": no feature is named '"
                                        + m.group(1)
                                        + "'");
                    }
                }
            }
        }
        return problems;
    }
}
