package org.fraudplatform.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleEngineCompileTest {

    private static final String HEADER =
            """
            package test;
            import org.fraudplatform.rules.facts.Transaction;
            global org.fraudplatform.rules.facts.Verdict verdict;
            """;

    @TempDir Path dir;

    @Test
    void shouldReportFileAndLineOfAnUnknownProperty() throws IOException {
        // given: line 6 names a property Transaction does not have
        write(
                "velocity/broken.drl",
                HEADER
                        + """
                        rule "Broken"
                        when
                            Transaction( amountt > 5 )
                        then
                            verdict.review("BROKEN", "Broken", 0.1);
                        end
                        """);

        // when / then
        assertThatThrownBy(() -> RuleEngine.compile(RulesetSource.fromDirectory(dir)))
                .isInstanceOf(RulesetCompilationException.class)
                .hasMessageContaining("velocity/broken.drl:6: ");
    }

    @Test
    void shouldListTheErrorsOfEveryBrokenFile() throws IOException {
        // given: a syntax error on line 5 of one file and an unknown method on line 7 of another
        write(
                "a.drl",
                HEADER
                        + """
                        rule "Missing when"
                            verdict.review("A", "A", 0.1);
                        end
                        """);
        write(
                "b.drl",
                HEADER
                        + """
                        rule "Unknown verdict method"
                        when
                            Transaction()
                        then
                            verdict.approve("B", "B", 0.1);
                        end
                        """);

        // when
        Throwable thrown = catchCompilationError();

        // then
        assertThat(((RulesetCompilationException) thrown).errors())
                .anySatisfy(e -> assertThat(e).startsWith("a.drl:5: "))
                .anySatisfy(e -> assertThat(e).startsWith("b.drl:"));
        assertThat(thrown.getMessage()).contains("a.drl:5: ").contains("b.drl:");
    }

    @Test
    void shouldReportTheRowOfADecisionTableWhoseRuleDoesNotCompile() throws IOException {
        // given: row 10 compares a property Transaction does not have
        write(
                "tables/merchant.drl.csv",
                """
                "RuleSet","test"
                "Import","org.fraudplatform.rules.facts.Transaction"
                "Variables","org.fraudplatform.rules.facts.Verdict verdict"

                "RuleTable Merchant categories"
                "NAME","CONDITION","ACTION"
                "","Transaction",""
                "","$param","verdict.flag(""MCC"", ""m"", $param);"
                "Rule name","Condition","Weight"
                "Misspelt property","merchantCategory == null","0.2"
                """);

        // when / then
        assertThatThrownBy(() -> RuleEngine.compile(RulesetSource.fromDirectory(dir)))
                .isInstanceOf(RulesetCompilationException.class)
                .hasMessageContaining("tables/merchant.drl.csv:10: ")
                .hasMessageContaining("merchantCategory")
                .hasMessageNotContaining(".drl.csv.drl");
    }

    @Test
    void shouldRefuseAVerdictGlobalOfAnotherType() throws IOException {
        write(
                "wrong-global.drl",
                """
                package test;
                global java.util.List verdict;
                """);

        assertThatThrownBy(() -> RuleEngine.compile(RulesetSource.fromDirectory(dir)))
                .isInstanceOf(RulesetCompilationException.class)
                .hasMessageContaining("global verdict must have type")
                .hasMessageContaining("org.fraudplatform.rules.facts.Verdict");
    }

    private Throwable catchCompilationError() throws IOException {
        RulesetSource source = RulesetSource.fromDirectory(dir);
        try {
            RuleEngine.compile(source);
        } catch (RulesetCompilationException e) {
            return e;
        }
        throw new AssertionError("the ruleset compiled");
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
