package org.fraudplatform.offline.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --flink-master}: the backfill submits its job over a JobManager's REST endpoint, as it
 * does to a real cluster. The cluster here is a Flink MiniCluster with its REST endpoint up, in
 * this JVM (so it finds the job's classes without shipped jars).
 */
class RemoteClusterBackfillTest {

    @TempDir Path dir;
    private MiniCluster cluster;

    @BeforeEach
    void startCluster() throws Exception {
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(new Configuration())
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .withRandomPorts()
                                .build());
        cluster.start();
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.closeAsync().get();
    }

    @Test
    void shouldRunTheJobOnAClusterNamedByItsRestAddress() throws Exception {
        URI rest = cluster.getRestAddress().get();
        Path input = dir.resolve("transactions.csv");
        Files.writeString(
                input,
                HistoryFormat.HANDBOOK.header()
                        + "\n0,2018-04-01 10:00:00,1,7,120.00,36000,0,0,0"
                        + "\n1,2018-04-01 10:05:00,1,7,30.00,36300,0,1,1\n");
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        FeatureBackfill.Result result =
                FeatureBackfill.run(
                        new FeatureBackfill.Settings(
                                input,
                                HistoryFormat.HANDBOOK,
                                null,
                                dir.resolve("out"),
                                FeatureCatalogue.standard(),
                                CurrencyRates.packaged(),
                                rest.getHost() + ":" + rest.getPort(),
                                2,
                                List.of()),
                        new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(result.rows()).isEqualTo(2);
        assertThat(result.frauds()).isEqualTo(1);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("on " + rest.getHost() + ":" + rest.getPort());
        List<String> lines = Files.readAllLines(result.csv());
        assertThat(lines.get(2)).startsWith("1,2018-04-01 10:05:00,3000,1,7,,,,,,2.0,");
    }
}
