package org.fraudplatform.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FeaturesCommandTest {

    @TempDir Path dir;

    private int run(StringWriter err, String... args) {
        CommandLine cli = FraudCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldBackfillAHistoryFileGivenWithInput() throws Exception {
        Path history = dir.resolve("history.csv");
        Files.writeString(
                history,
                """
                kind,transaction_id,time,amount_minor,card,customer,email,ip,device,merchant,country,payment_time
                payment,pay_1,2026-03-02T10:00:00Z,2500,tok_A,m1/c9,eh_1,203.0.113.7,dev_1,m1,DE,
                payment,pay_2,2026-03-02T10:05:00Z,4100,tok_A,m1/c9,eh_1,203.0.113.7,dev_1,m1,DE,
                """);

        int exit =
                run(
                        new StringWriter(),
                        "features",
                        "backfill",
                        "--input",
                        history.toString(),
                        "--output",
                        dir.resolve("out").toString());

        assertThat(exit).isZero();
        assertThat(Files.readAllLines(dir.resolve("out/features.csv"))).hasSize(3);
    }

    @Test
    void shouldRefuseNeitherOrBothSources() {
        StringWriter neither = new StringWriter();
        StringWriter both = new StringWriter();

        int withNeither = run(neither, "features", "backfill", "--output", dir.toString());
        int withBoth =
                run(
                        both,
                        "features",
                        "backfill",
                        "--input",
                        "x.csv",
                        "--from-topics",
                        "--output",
                        dir.toString());

        assertThat(withNeither).isNotZero();
        assertThat(withBoth).isNotZero();
    }

    @Test
    void shouldRefuseAJobJarWithoutAClusterAndAClusterWithoutItsJobJar() throws Exception {
        Path history = dir.resolve("history.csv");
        Files.writeString(history, "kind,transaction_id,time\n");
        StringWriter jarAlone = new StringWriter();
        StringWriter noJar = new StringWriter();

        int withJarAlone =
                run(
                        jarAlone,
                        "features",
                        "backfill",
                        "--input",
                        history.toString(),
                        "--output",
                        dir.resolve("a").toString(),
                        "--job-jar",
                        history.toString());
        int withoutJar =
                run(
                        noJar,
                        "features",
                        "backfill",
                        "--input",
                        history.toString(),
                        "--output",
                        dir.resolve("b").toString(),
                        "--flink-master",
                        "127.0.0.1:1",
                        "--job-jar",
                        dir.resolve("no-such.jar").toString());

        assertThat(withJarAlone).isNotZero();
        assertThat(jarAlone.toString()).contains("--job-jar goes with --flink-master");
        assertThat(withoutJar).isNotZero();
        assertThat(noJar.toString()).contains("no job jar at").contains("no-such.jar");
    }

    @Test
    void shouldLookForTheJobJarBesideTheCommandsOwnCode() {
        assertThat(FlinkOptions.defaultJobJar())
                .endsWithRaw(Path.of("flink", "offline-job.jar"))
                .satisfies(p -> assertThat(p.getParent().getParent()).isDirectory());
    }
}
