package org.fraudplatform.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Part files written where the tasks can, and fetched where the command assembles them. */
class StagedPartsTest {

    @TempDir Path dir;

    @Test
    void shouldWriteInTheOutputFolderWhenNoStagingUriIsGiven() throws Exception {
        Path local = dir.resolve("out").resolve("parts");
        Files.createDirectories(local.resolve("features"));
        Files.writeString(local.resolve("features").resolve("part-left-from-before"), "old");

        StagedParts parts = StagedParts.of(FlinkTarget.local(), local);

        assertThat(local).as("what an earlier run left is gone").doesNotExist();
        assertThat(parts.sink("features").toUri()).isEqualTo(local.resolve("features").toUri());
        assertThat(parts.fetch()).isEqualTo(local);
    }

    @Test
    void shouldFetchThePartsWrittenUnderTheStagingUriKeepingTheirFoldersAndDeleteThem()
            throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path local = dir.resolve("out").resolve("parts");
        StagedParts parts = StagedParts.of(FlinkTarget.local().withStaging(shared.toUri()), local);
        // what two tasks of the job write
        Path features = Path.of(parts.sink("features").toUri());
        Files.createDirectories(features);
        Files.writeString(features.resolve("part-0-0.csv"), "a\n");
        Files.writeString(features.resolve("part-1-0.csv"), "b\n");
        Path labels = Path.of(parts.sink("labels").toUri());
        Files.createDirectories(labels);
        Files.writeString(labels.resolve("part-0-0.csv"), "c\n");

        Path fetched = parts.fetch();

        assertThat(fetched).isEqualTo(local);
        assertThat(local.resolve("features").resolve("part-0-0.csv")).hasContent("a");
        assertThat(local.resolve("features").resolve("part-1-0.csv")).hasContent("b");
        assertThat(local.resolve("labels").resolve("part-0-0.csv")).hasContent("c");
        try (var runs = Files.list(shared)) {
            assertThat(runs.toList()).as("one folder for this run under the URI").hasSize(1);
        }
        parts.clear();
        assertThat(local).doesNotExist();
        try (var left = Files.list(shared)) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void shouldRefuseAStagingUriWithoutItsScheme() {
        assertThatThrownBy(() -> FlinkTarget.local().withStaging(URI.create("shared/parts")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--staging-uri must be a URI with its scheme");
    }
}
