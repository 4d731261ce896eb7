package org.fraudplatform.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesetSourceTest {

    @TempDir Path dir;

    @Test
    void shouldReadRuleFilesRecursivelyWithSlashSeparatedNamesInNameOrder() throws IOException {
        write("velocity.drl", "v");
        write("geo/country.drl", "g");
        write("tables/merchant.drl.csv", "m");
        write("amount.drl.xlsx", "x");

        RulesetSource source = RulesetSource.fromDirectory(dir);

        assertThat(source.files())
                .extracting(RulesetSource.RuleFile::name)
                .containsExactly(
                        "amount.drl.xlsx",
                        "geo/country.drl",
                        "tables/merchant.drl.csv",
                        "velocity.drl");
        assertThat(source.files().get(1).content()).isEqualTo(bytes("g"));
    }

    @Test
    void shouldIgnoreOtherFilesAndHiddenOnes() throws IOException {
        write("velocity.drl", "v");
        write("README.md", "r");
        write("merchant.csv", "not a decision table name");
        write(".velocity.drl", "editor backup");
        write(".git/hooks.drl", "hidden folder");

        RulesetSource source = RulesetSource.fromDirectory(dir);

        assertThat(source.files())
                .extracting(RulesetSource.RuleFile::name)
                .containsExactly("velocity.drl");
    }

    @Test
    void shouldReadThePackagedRulesetFromAJar() throws IOException {
        // given: a jar as the build packages it, with the ruleset under ruleset/
        Path jar = dir.resolve("rules.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : List.of("ruleset/", "ruleset/geo/", "org/")) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("ruleset/geo/country.drl"));
            out.write(bytes("package q;\n"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("ruleset/velocity.drl"));
            out.write(bytes("package p;\n"));
            out.closeEntry();
        }

        // when
        RulesetSource source = RulesetSource.packagedIn(jar);

        // then: the same names, contents and version as the pinned folder layout
        assertThat(source.files())
                .extracting(RulesetSource.RuleFile::name)
                .containsExactly("geo/country.drl", "velocity.drl");
        assertThat(source.version()).isEqualTo("29cbb065c21a");
    }

    @Test
    void shouldRefuseAFolderWithoutRuleFiles() throws IOException {
        write("README.md", "r");

        assertThatThrownBy(() -> RulesetSource.fromDirectory(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one rule file");
    }

    @Test
    void shouldRefuseAMissingFolder() {
        assertThatThrownBy(() -> RulesetSource.fromDirectory(dir.resolve("missing")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Not a ruleset folder");
    }

    @Test
    void shouldRefuseANameOutsideTheRuleset() {
        assertThatThrownBy(() -> new RulesetSource.RuleFile("../velocity.drl", bytes("v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relative path");
    }

    @Test
    void shouldPinTheVersionAlgorithmSoThatEveryMachineAgrees() {
        // SHA-256 over (4-byte length, name, 4-byte length, content) per file in name order,
        // first 12 hex digits; computed independently of this code
        RulesetSource source =
                RulesetSource.of(
                        Map.of(
                                "velocity.drl", bytes("package p;\n"),
                                "geo/country.drl", bytes("package q;\n")));

        assertThat(source.version()).isEqualTo("29cbb065c21a");
    }

    @Test
    void shouldGiveTheSameVersionWhateverTheOrderOfTheFiles() {
        Map<String, byte[]> forwards = new LinkedHashMap<>();
        forwards.put("a.drl", bytes("a"));
        forwards.put("b.drl", bytes("b"));
        Map<String, byte[]> backwards = new LinkedHashMap<>();
        backwards.put("b.drl", bytes("b"));
        backwards.put("a.drl", bytes("a"));

        assertThat(RulesetSource.of(forwards).version())
                .isEqualTo(RulesetSource.of(backwards).version());
    }

    @Test
    void shouldGiveTheSameVersionForWindowsLineEndings() {
        assertThat(RulesetSource.of(Map.of("a.drl", bytes("rule\r\nend\r\n"))).version())
                .isEqualTo(RulesetSource.of(Map.of("a.drl", bytes("rule\nend\n"))).version());
    }

    @Test
    void shouldChangeTheVersionWhenAFileChanges() {
        assertThat(RulesetSource.of(Map.of("a.drl", bytes("salience 10"))).version())
                .isNotEqualTo(RulesetSource.of(Map.of("a.drl", bytes("salience 11"))).version());
    }

    @Test
    void shouldChangeTheVersionWhenAFileIsRenamed() {
        assertThat(RulesetSource.of(Map.of("a.drl", bytes("x"))).version())
                .isNotEqualTo(RulesetSource.of(Map.of("b.drl", bytes("x"))).version());
    }

    @Test
    void shouldNotLetContentMoveBetweenNameAndBody() {
        assertThat(RulesetSource.of(Map.of("a.drl", bytes("b.drl"))).version())
                .isNotEqualTo(RulesetSource.of(Map.of("a.drlb.drl", bytes(""))).version());
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
