package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderLockTest {

    @TempDir Path dir;

    @Test
    void shouldRefuseASecondPlatformOnAFolderInUseAndNameTheOwner() throws Exception {
        try (DataFolderLock first = DataFolderLock.take(dir)) {
            assertThat(Files.readString(dir.resolve(DataFolderLock.FILE)))
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));

            assertThatThrownBy(() -> DataFolderLock.take(dir))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("in use by another running platform")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldFreeTheFolderWhenItsPlatformStops() throws Exception {
        DataFolderLock.take(dir).close();

        try (DataFolderLock again = DataFolderLock.take(dir)) {
            assertThat(again).isNotNull();
        }
    }
}
