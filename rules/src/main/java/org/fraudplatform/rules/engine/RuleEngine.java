package org.fraudplatform.rules.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fraudplatform.rules.facts.Verdict;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Global;
import org.kie.api.definition.rule.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a {@link RulesetSource} into a {@link CompiledRuleset} with Drools (classic engine, MVEL
 * dialect), in memory.
 *
 * <p>Contract: either every file compiles and the result holds all their rules, or {@link
 * RulesetCompilationException} lists every error as {@code file:line: message}. A ruleset may
 * declare the global {@value CompiledRuleset#VERDICT_GLOBAL} only with type {@link Verdict}.
 * Decision tables are turned into DRL first, so that their errors name the table row. Thread-safe:
 * each compilation is independent (a fresh Drools release id per call, removed from Drools'
 * repository afterwards, so repeated reloads do not accumulate modules).
 */
public final class RuleEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);
    private static final String RESOURCES = "src/main/resources/";
    private static final AtomicLong COMPILATIONS = new AtomicLong();

    /** Drools adds this to a file's parser errors; it says nothing the errors do not. */
    private static final String PARSER_ECHO = "Parser returned a null Package";

    /** MVEL's position in DRL generated from a decision table: meaningless to the analyst. */
    private static final Pattern GENERATED_POSITION =
            Pattern.compile("\\s*\\[Line: \\d+, Column: \\d+]");

    private RuleEngine() {}

    /**
     * Compiles the ruleset.
     *
     * @throws RulesetCompilationException if any file does not compile
     */
    public static CompiledRuleset compile(RulesetSource source) {
        long started = System.nanoTime();
        KieServices kie = KieServices.get();
        ReleaseId releaseId =
                kie.newReleaseId(
                        "org.fraudplatform.rules",
                        "ruleset",
                        "0.0." + COMPILATIONS.incrementAndGet() + "-" + source.version());
        KieFileSystem files = kie.newKieFileSystem();
        files.generateAndWritePomXML(releaseId);
        // Every evaluation is one stateless pass over fixed facts: property reactivity buys
        // nothing, and without it Drools does not warn about constraints across patterns (lists).
        org.kie.api.builder.model.KieModuleModel module = kie.newKieModuleModel();
        module.setConfigurationProperty("drools.propertySpecific", "ALLOWED");
        files.writeKModuleXML(module.toXML());
        List<String> tableErrors = new ArrayList<>();
        Map<String, DecisionTable> tables = new HashMap<>();
        for (RulesetSource.RuleFile file : source.files()) {
            if (DecisionTable.isDecisionTable(file.name())) {
                try {
                    DecisionTable table = DecisionTable.compile(file);
                    if (source.contains(table.drlPath())) {
                        tableErrors.add(
                                table.drlPath()
                                        + ": clashes with the DRL generated from "
                                        + file.name()
                                        + "; rename it");
                        continue;
                    }
                    tables.put(table.drlPath(), table);
                    files.write(RESOURCES + table.drlPath(), table.drl());
                } catch (RuntimeException e) {
                    tableErrors.add(file.name() + ": " + oneLine(String.valueOf(e.getMessage())));
                }
            } else {
                files.write(RESOURCES + file.name(), file.content());
            }
        }
        KieBuilder builder = kie.newKieBuilder(files).buildAll();
        List<String> errors = new ArrayList<>(tableErrors);
        errors.addAll(describe(builder.getResults().getMessages(Message.Level.ERROR), tables));
        List<String> warnings =
                describe(builder.getResults().getMessages(Message.Level.WARNING), tables);
        KieBase kieBase;
        try {
            if (!errors.isEmpty()) {
                throw new RulesetCompilationException(source.version(), errors);
            }
            kieBase = kie.newKieContainer(releaseId).getKieBase();
        } finally {
            kie.getRepository().removeKieModule(releaseId);
        }
        boolean usesVerdict = checkVerdictGlobal(source.version(), kieBase);
        CompiledRuleset compiled =
                new CompiledRuleset(
                        source.version(), kieBase, ruleNames(kieBase), warnings, usesVerdict);
        LOG.debug(
                "Compiled ruleset {}: {} rules from {} files in {} ms",
                compiled.version(),
                compiled.ruleNames().size(),
                source.files().size(),
                (System.nanoTime() - started) / 1_000_000);
        return compiled;
    }

    /**
     * {@code file:line: message} per message, sorted; for a decision table the line is the table's
     * row that produced the failing rule.
     */
    private static List<String> describe(
            List<Message> messages, Map<String, DecisionTable> tables) {
        record Line(String file, int line, String text) {}
        List<Line> lines = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (m.getText().contains(PARSER_ECHO) && hasOtherMessage(messages, m)) {
                continue;
            }
            String path = m.getPath() == null ? "ruleset" : m.getPath();
            String file = path.startsWith(RESOURCES) ? path.substring(RESOURCES.length()) : path;
            DecisionTable table = tables.get(file);
            if (table != null) {
                String text = GENERATED_POSITION.matcher(oneLine(m.getText())).replaceAll("");
                lines.add(new Line(table.name(), table.rowOf(m.getLine()), text));
            } else {
                lines.add(new Line(file, m.getLine(), oneLine(m.getText())));
            }
        }
        lines.sort(Comparator.comparing(Line::file).thenComparingInt(Line::line));
        return lines.stream()
                .map(l -> (l.line() > 0 ? l.file() + ":" + l.line() : l.file()) + ": " + l.text())
                .toList();
    }

    /** MVEL's messages span lines and point with a caret; a report line needs one line each. */
    private static String oneLine(String text) {
        return text.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.equals("^"))
                .collect(Collectors.joining(" "));
    }

    private static boolean hasOtherMessage(List<Message> messages, Message m) {
        return messages.stream()
                .anyMatch(other -> other != m && Objects.equals(other.getPath(), m.getPath()));
    }

    private static boolean checkVerdictGlobal(String version, KieBase kieBase) {
        boolean declared = false;
        List<String> errors = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Global global : pkg.getGlobalVariables()) {
                if (!global.getName().equals(CompiledRuleset.VERDICT_GLOBAL)) {
                    continue;
                }
                if (global.getType().equals(Verdict.class.getName())) {
                    declared = true;
                } else {
                    errors.add(
                            "package "
                                    + pkg.getName()
                                    + ": global "
                                    + CompiledRuleset.VERDICT_GLOBAL
                                    + " must have type "
                                    + Verdict.class.getName()
                                    + ", has "
                                    + global.getType());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new RulesetCompilationException(version, errors);
        }
        return declared;
    }

    private static List<String> ruleNames(KieBase kieBase) {
        List<String> names = new ArrayList<>();
        for (KiePackage pkg : kieBase.getKiePackages()) {
            for (Rule rule : pkg.getRules()) {
                names.add(rule.getName());
            }
        }
        names.sort(Comparator.naturalOrder());
        return List.copyOf(names);
    }
}
