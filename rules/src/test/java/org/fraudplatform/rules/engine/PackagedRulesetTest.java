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
                        "Allow-listed card",
                        "Amount far above the card's usual",
                        "Amount ten times the card's average",
                        "Blocked IP address",
                        "Blocked card",
                        "Blocked card range",
                        "Blocked customer country",
                        "Blocked device",
                        "Blocked e-mail address",
                        "Card declined repeatedly in the last hour",
                        "Card issuing country differs from the customer's country",
                        "Card paying at many merchants today",
                        "Card seen from many IP addresses today",
                        "Card seen on many devices today",
                        "Card spent a lot in the last day",
                        "Card used from several countries today",
                        "Card used more than five times in ten minutes",
                        "Card used more than ten times in an hour",
                        "Customer account using many cards",
                        "Device used with many cards",
                        "Device used with three cards (trial)",
                        "E-mail address used with many cards",
                        "IP address unusually busy",
                        "IP address used with many cards",
                        "Large amount on a card first seen today",
                        "Merchant is a gambling business",
                        "Merchant is a money transfer business",
                        "Merchant sells quasi-cash",
                        "Merchant with a high fraud rate last week",
                        "Merchant with a very high fraud rate this month",
                        "Model score in the decline band",
                        "Model score in the review band",
                        "Small payments in quick succession",
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
