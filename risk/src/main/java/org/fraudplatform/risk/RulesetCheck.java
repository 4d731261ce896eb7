package org.fraudplatform.risk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.rules.cases.FeatureReferences;
import org.fraudplatform.rules.cases.RuleCaseFiles;
import org.fraudplatform.rules.cases.RuleCaseRunner;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetCompilationException;
import org.fraudplatform.rules.engine.RulesetSource;

/**
 * What a ruleset folder must pass before it goes live: it compiles, its rules and cases read only
 * features the platform computes, and every case decides as its author expects.
 *
 * @param source the rule files read
 * @param ruleset the compiled ruleset, or null when it does not compile
 * @param cases how many cases ran
 * @param passed how many of them passed
 * @param compileMillis how long the compilation took
 * @param problems every problem as {@code file:line: message}; empty when the ruleset may go live
 */
public record RulesetCheck(
        RulesetSource source,
        CompiledRuleset ruleset,
        int cases,
        int passed,
        long compileMillis,
        List<String> problems) {

    public static RulesetCheck of(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no such ruleset folder: " + folder);
        }
        Set<String> features = RuleInputs.of(FeatureCatalogue.standard());
        RulesetSource source = RulesetSource.fromDirectory(folder);
        List<String> problems = new ArrayList<>();
        CompiledRuleset ruleset = null;
        long started = System.nanoTime();
        try {
            ruleset = RuleEngine.compile(source);
        } catch (RulesetCompilationException e) {
            problems.addAll(e.errors());
        }
        long compileMillis = (System.nanoTime() - started) / 1_000_000;
        problems.addAll(FeatureReferences.unknown(source, features));
        RuleCaseFiles files = RuleCaseFiles.read(folder, features);
        problems.addAll(files.problems());
        int passed = 0;
        if (ruleset != null) {
            List<String> failures = RuleCaseRunner.run(ruleset, files.cases());
            passed = files.cases().size() - failures.size();
            problems.addAll(failures);
        }
        return new RulesetCheck(
                source,
                ruleset,
                files.cases().size(),
                passed,
                compileMillis,
                List.copyOf(problems));
    }

    public boolean passes() {
        return problems.isEmpty();
    }
}
