package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.platform.cli.FraudCommand;
import org.fraudplatform.platform.testing.SharedPlatform;
import org.fraudplatform.platform.testing.TopicReader;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.AuditEvent;
import org.fraudplatform.schemas.serde.SchemaRegistries;
import org.fraudplatform.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Four eyes on the rules: a ruleset one analyst proposes with {@code rules deploy
 * --require-approval} is not live until a second analyst approves it; its proposer's approval is
 * refused; where the administrator requires four eyes, a deploy by one person alone is refused. The
 * ruleset here is the packaged one with a comment added (a new version deciding as the packaged one
 * does), and the packaged one is live again at the end, for the classes that share this platform.
 */
@Execution(value = ExecutionMode.SAME_THREAD, reason = SharedPlatform.LANE)
class RulesApprovalIT {

    @RegisterExtension static final SharedPlatform shared = new SharedPlatform();
    @TempDir static Path work;

    @AfterAll
    static void packagedLiveAgain() throws Exception {
        String packaged = RulesetSource.packaged().version();
        if (!packaged.equals(shared.platform().liveRulesetVersion())) {
            cli("rules", "rollback", packaged, "--as", "approval-ana");
            awaitLive(packaged);
        }
    }

    @Test
    void shouldPutAProposedRulesetLiveOnlyWhenASecondPersonApprovesIt() throws Exception {
        String packaged = RulesetSource.packaged().version();
        Path folder = commentedCopyOfTheRuleset();
        String proposed = RulesetSource.fromDirectory(folder).version();

        CliRun propose =
                cli(
                        "rules",
                        "deploy",
                        "--dir",
                        folder.toString(),
                        "-m",
                        "a comment, reviewed by two",
                        "--require-approval",
                        "--as",
                        "approval-ana");
        CliRun listed = cli("rules", "proposals", "--db");
        CliRun byTheProposer = cli("rules", "approve", proposed, "--as", "approval-ana");
        String liveBeforeApproval = shared.platform().liveRulesetVersion();
        CliRun bySomebodyElse = cli("rules", "approve", proposed, "--as", "approval-ben");
        awaitLive(proposed);
        CliRun again = cli("rules", "approve", proposed, "--as", "approval-cid");

        assertThat(propose.exit()).as(propose.out()).isZero();
        assertThat(propose.out()).contains("Proposed ruleset " + proposed, "nothing is live yet");
        assertThat(listed.out()).contains(proposed, "person:approval-ana", "reviewed by two");
        assertThat(byTheProposer.exit()).isNotZero();
        assertThat(byTheProposer.out())
                .contains("four eyes: person:approval-ana proposed ruleset " + proposed);
        assertThat(liveBeforeApproval).isEqualTo(packaged);
        assertThat(bySomebodyElse.exit()).as(bySomebodyElse.out()).isZero();
        assertThat(bySomebodyElse.out())
                .contains("Deployed ruleset " + proposed, "approved by person:approval-ben");
        assertThat(again.exit()).as("approved once").isNotZero();
        assertThat(again.out()).contains("no proposal of ruleset " + proposed + " waits");
        List<AuditEvent> audit =
                TopicReader.read(
                        shared.platform().bootstrapServers(),
                        Topics.create(
                                        SchemaRegistries.connect(
                                                shared.platform().schemaRegistryUrl()),
                                        1)
                                .audit(),
                        a -> a.getSubject().equals("ruleset:" + proposed),
                        2,
                        Duration.ofSeconds(20));
        assertThat(audit)
                .extracting(AuditEvent::getActor, AuditEvent::getAction)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "person:approval-ana", "ruleset.propose"),
                        org.assertj.core.groups.Tuple.tuple(
                                "person:approval-ben", "ruleset.deploy"));
        assertThat(audit.get(1).getDetails()).containsEntry("proposedBy", "person:approval-ana");
    }

    @Test
    void shouldRefuseADeployByOnePersonAloneWhileTheAdministratorRequiresFourEyes()
            throws Exception {
        String live = shared.platform().liveRulesetVersion();
        Path folder = commentedCopyOfTheRuleset();

        CliRun byAnAnalyst = cli("policy", "four-eyes", "--rules", "on", "--as", "approval-ana");
        CliRun required = cli("policy", "four-eyes", "--rules", "on", "--admin", "approval-root");
        CliRun alone;
        try {
            alone =
                    cli(
                            "rules",
                            "deploy",
                            "--dir",
                            folder.toString(),
                            "-m",
                            "one person alone",
                            "--as",
                            "approval-ana");
        } finally {
            cli("policy", "four-eyes", "--rules", "off", "--admin", "approval-root");
        }
        CliRun shown = cli("policy", "four-eyes", "--db");

        assertThat(byAnAnalyst.exit()).as("only an administrator sets the policy").isNotZero();
        assertThat(required.exit()).as(required.out()).isZero();
        assertThat(required.out()).contains("Four eyes for rules deploys: required");
        assertThat(alone.exit()).isNotZero();
        assertThat(alone.out())
                .contains(
                        "four eyes are required for rules deploys",
                        "fraud rules deploy --require-approval");
        assertThat(shared.platform().liveRulesetVersion()).isEqualTo(live);
        assertThat(shown.out()).contains("Four eyes for rules deploys: not required");
    }

    private static Path commentedCopyOfTheRuleset() throws Exception {
        Path target = Files.createDirectories(work.resolve("commented"));
        for (RulesetSource.RuleFile f : RulesetSource.packaged().files()) {
            byte[] content = f.content();
            if (f.name().endsWith(".drl")) {
                content =
                        (new String(content, StandardCharsets.UTF_8) + "\n// reviewed by two\n")
                                .getBytes(StandardCharsets.UTF_8);
            }
            Files.write(target.resolve(f.name()), content);
        }
        return target;
    }

    private static void awaitLive(String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!version.equals(shared.platform().liveRulesetVersion())) {
            assertThat(System.nanoTime()).as("%s live within 30 s", version).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    record CliRun(int exit, String out) {}

    /**
     * {@code fraud ARGS…} against the shared platform; {@code --as NAME} runs it as the analyst
     * NAME (created on first use) with their token, {@code --admin NAME} as the administrator NAME;
     * {@code --db} adds the database only.
     */
    private static CliRun cli(String... args) {
        Platform platform = shared.platform();
        StringWriter out = new StringWriter();
        var cli = FraudCommand.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--as") || args[i].equals("--admin")) {
                Role role = args[i].equals("--as") ? Role.ANALYST : Role.ADMIN;
                all.add("--token");
                all.add(TestPeople.tokenFor(platform, args[++i], role));
                all.addAll(TestPeople.databaseOptions(platform));
            } else if (args[i].equals("--db")) {
                all.addAll(TestPeople.databaseOptions(platform));
            } else {
                all.add(args[i]);
            }
        }
        if (args[0].equals("policy")) {
            all.addAll(
                    List.of(
                            "--bootstrap-servers",
                            platform.bootstrapServers(),
                            "--schema-registry-url",
                            platform.schemaRegistryUrl()));
        } else if (!args[1].equals("proposals")) {
            all.addAll(
                    List.of(
                            "--bootstrap-servers",
                            platform.bootstrapServers(),
                            "--schema-registry-url",
                            platform.schemaRegistryUrl(),
                            // the release keys the platform created in its data folder
                            "--data-dir",
                            shared.dataDir().toString()));
        }
        return new CliRun(cli.execute(all.toArray(String[]::new)), out.toString());
    }
}
