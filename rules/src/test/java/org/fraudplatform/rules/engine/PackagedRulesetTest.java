package org.fraudplatform.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.rules.testing.PackagedRuleset.RULESET;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ruleset that ships in the jar (the module's ruleset/ folder). */
class PackagedRulesetTest {

    @Test
    void shouldCompileEveryStarterRule() {
        assertThat(RULESET.ruleNames())
                .containsExactly(
                        "Card issuing country differs from the customer's country",
                        "Card spent a lot in the last day",
                        "Card used more than five times in ten minutes",
                        "Large amount on a card first seen today",
                        "Merchant is a gambling business",
                        "Merchant is a money transfer business",
                        "Merchant sells quasi-cash",
                        "Very large single payment");
    }

    @Test
    void shouldCompileWithoutWarnings() {
        assertThat(RULESET.warnings()).isEmpty();
    }

    @Test
    void shouldHaveTheVersionOfTheRulesetFolderItWasPackagedFrom() throws IOException {
        // the tests run in the module folder
        RulesetSource folder = RulesetSource.fromDirectory(Path.of("ruleset"));

        assertThat(RULESET.version()).matches("[0-9a-f]{12}").isEqualTo(folder.version());
    }

    @Test
    void shouldKeepItsVersionWhenCompiledAgain() {
        CompiledRuleset again = RuleEngine.compile(RulesetSource.packaged());

        assertThat(again.version()).isEqualTo(RULESET.version());
        assertThat(again.ruleNames()).isEqualTo(RULESET.ruleNames());
    }
}
