package org.fraudplatform.platform.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.fraudplatform.rules.cases.FeatureReferences;
import org.fraudplatform.rules.cases.RuleCaseFiles;
import org.fraudplatform.rules.cases.RuleCaseRunner;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetCompilationException;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.streams.features.FeatureCatalogue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fraud rules}: the analysts' ruleset. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "The fraud rules: test a ruleset folder before it goes live.",
        subcommands = {RulesCommand.Test.class, CommandLine.HelpCommand.class})
public final class RulesCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = {
                "Compiles a ruleset folder, checks that its rules and cases read only features"
                        + " the platform computes, and runs every case of its *.cases.yaml files."
                        + " Every problem is printed as file:line: message.",
                "Exit status: 0 when everything passes, 1 otherwise."
            })
    static final class Test implements Callable<Integer> {

        @Option(
                names = "--dir",
                defaultValue = "rules/ruleset",
                description = "The ruleset folder. Default: ${DEFAULT-VALUE}")
        Path dir;

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--dir: no such folder: " + dir);
            }
            Set<String> features = Set.copyOf(FeatureCatalogue.standard().names());
            RulesetSource source = RulesetSource.fromDirectory(dir);
            List<String> problems = new ArrayList<>();
            CompiledRuleset ruleset = null;
            try {
                long started = System.nanoTime();
                ruleset = RuleEngine.compile(source);
                out.printf(
                        "Compiled %d rules from %d files in %d ms (version %s)%n",
                        ruleset.ruleNames().size(),
                        source.files().size(),
                        (System.nanoTime() - started) / 1_000_000,
                        ruleset.version());
            } catch (RulesetCompilationException e) {
                problems.addAll(e.errors());
            }
            problems.addAll(FeatureReferences.unknown(source, features));
            RuleCaseFiles cases = RuleCaseFiles.read(dir, features);
            problems.addAll(cases.problems());
            int passed = 0;
            if (ruleset != null) {
                List<String> failures = RuleCaseRunner.run(ruleset, cases.cases());
                passed = cases.cases().size() - failures.size();
                problems.addAll(failures);
            }
            problems.forEach(out::println);
            out.printf(
                    "%d of %d cases passed%s%n",
                    passed,
                    cases.cases().size(),
                    problems.isEmpty() ? "" : "; " + problems.size() + " problems");
            out.flush();
            return problems.isEmpty() ? 0 : 1;
        }
    }
}
