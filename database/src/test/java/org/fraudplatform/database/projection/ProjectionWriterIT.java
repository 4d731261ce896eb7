package org.fraudplatform.database.projection;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProjectionWriterIT {

    private Database db;

    @BeforeEach
    void database() {
        db = TestDatabase.freshWithDurableCommits();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldCommitAProjectionWithoutWaitingForTheDiskAndEveryOtherTransactionOnIt()
            throws Exception {
        List<String> seen = new ArrayList<>();
        ProjectionWriter<String> writer =
                new ProjectionWriter<>(db.dataSource(), "durability-test", "test values") {
                    @Override
                    protected void write(Connection c, List<String> fresh) throws SQLException {
                        seen.add(synchronousCommit(c));
                    }
                };

        try (Connection c = db.dataSource().getConnection()) {
            assertThat(synchronousCommit(c)).as("the database's own setting").isEqualTo("on");
        }

        int applied = writer.apply(List.of(new ConsumerRecord<>("t", 0, 0L, "k", "v")));

        assertThat(applied).isEqualTo(1);
        assertThat(seen).as("inside the projection's transaction").containsExactly("off");
        assertThat(writer.storedOffsets())
                .as("and its offset, committed with it")
                .isEqualTo(Map.of(new TopicPartition("t", 0), 1L));
        for (int i = 0; i < 5; i++) {
            try (Connection c = db.dataSource().getConnection()) {
                assertThat(synchronousCommit(c))
                        .as("a pooled connection after the projection's transaction")
                        .isEqualTo("on");
            }
        }
    }

    private static String synchronousCommit(Connection c) throws SQLException {
        try (var s = c.createStatement();
                var r = s.executeQuery("SHOW synchronous_commit")) {
            r.next();
            return r.getString(1);
        }
    }
}
