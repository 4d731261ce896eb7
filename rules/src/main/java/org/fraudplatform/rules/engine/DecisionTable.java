package org.fraudplatform.rules.engine;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;

/**
 * A decision table ({@code *.drl.csv}, {@code *.drl.xlsx}) turned into DRL before the ruleset is
 * compiled, so that a compile error in a generated rule can be reported at the table row the rule
 * came from rather than at a line of DRL the analyst never saw.
 *
 * <p>The generated DRL goes to {@link #drlPath()}, under a hidden folder that no rule file may use.
 * Immutable.
 */
record DecisionTable(String name, String drl, List<String> drlLines) {

    /** Drools marks each generated rule with the spreadsheet cell its row starts at. */
    private static final Pattern ROW_MARK = Pattern.compile("// rule values at [A-Z]+(\\d+)");

    static boolean isDecisionTable(String name) {
        return name.endsWith(".drl.csv") || name.endsWith(".drl.xlsx");
    }

    /**
     * @throws RuntimeException (from Drools) if the table is malformed
     */
    static DecisionTable compile(RulesetSource.RuleFile file) {
        InputType type = file.name().endsWith(".csv") ? InputType.CSV : InputType.XLS;
        String drl =
                new SpreadsheetCompiler().compile(new ByteArrayInputStream(file.content()), type);
        return new DecisionTable(file.name(), drl, drl.lines().toList());
    }

    /** Where the generated DRL is written, relative to the ruleset root. */
    String drlPath() {
        return name + ".drl";
    }

    /**
     * The table row (1-based, as a spreadsheet or text editor shows it) of the rule that holds
     * {@code drlLine} of the generated DRL, or 0 if the line is outside any rule.
     */
    int rowOf(int drlLine) {
        for (int i = Math.min(drlLine, drlLines.size()) - 1; i >= 0; i--) {
            Matcher m = ROW_MARK.matcher(drlLines.get(i));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }
}
