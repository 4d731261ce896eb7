package org.fraudplatform.rules.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RuleReason;
import org.fraudplatform.rules.engine.RulesetSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The analysts' cases beside the rules ({@code ruleset/*.cases.yaml}), each a test of the suite:
 * what {@code bin/fraud rules test} runs, run by Maven too.
 */
class PackagedRuleCasesTest {

    private static final Path RULESET = Path.of("ruleset");
    private static CompiledRuleset ruleset;
    private static RuleCaseFiles files;

    @BeforeAll
    static void load() throws IOException {
        ruleset = RuleEngine.compile(RulesetSource.fromDirectory(RULESET));
        files = RuleCaseFiles.read(RULESET, Set.of());
    }

    @Test
    void shouldReadEveryCaseFileWithoutProblems() {
        assertThat(files.problems()).isEmpty();
        assertThat(files.cases()).hasSizeGreaterThanOrEqualTo(30);
    }

    @TestFactory
    Stream<DynamicTest> everyCaseDecidesAsItsAuthorExpects() {
        return files.cases().stream()
                .map(
                        c ->
                                DynamicTest.dynamicTest(
                                        c.location() + " " + c.name(),
                                        () ->
                                                assertThat(RuleCaseRunner.check(ruleset, c))
                                                        .isNull()));
    }

    @Test
    void shouldHaveACaseThatMakesEveryRuleFire() {
        Set<String> fired = new TreeSet<>();
        for (RuleCase c : files.cases()) {
            var decision =
                    ruleset.evaluate(
                            c.transaction(),
                            c.features(),
                            org.fraudplatform.rules.facts.Lists.of(c.lists()));
            decision.reasons().stream().map(RuleReason::ruleName).forEach(fired::add);
            decision.shadowReasons().stream().map(RuleReason::ruleName).forEach(fired::add);
        }

        assertThat(fired).containsExactlyInAnyOrderElementsOf(ruleset.ruleNames());
    }
}
