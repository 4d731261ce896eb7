package org.fraudplatform.api.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API instances counting each other in a real PostgreSQL, beat by beat. */
class ApiInstancesIT {

    Database db;

    @BeforeEach
    void database() {
        db = TestDatabase.fresh();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldCountEveryInstanceThatBeatLatelyItselfIncluded() {
        ApiInstances a = ApiInstances.manual(db.dataSource(), "api-0");
        ApiInstances b = ApiInstances.manual(db.dataSource(), "api-1");

        a.beat();
        int aloneAtFirst = a.alive();
        b.beat();
        a.beat();

        assertThat(aloneAtFirst).isEqualTo(1);
        assertThat(a.alive()).isEqualTo(2);
        assertThat(b.alive()).isEqualTo(2);
    }

    @Test
    void shouldCountOutAnInstanceThatStoppedAtOnceAndOneThatDiedAfterItsLastBeatAged()
            throws Exception {
        ApiInstances a = ApiInstances.manual(db.dataSource(), "api-0");
        ApiInstances stopped = ApiInstances.manual(db.dataSource(), "api-1");
        stopped.beat();
        // an instance killed 20 s ago: its last beat is older than ALIVE
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO api_instances (instance, seen_at) VALUES ('api-2',"
                                        + " now() - interval '20 seconds')")) {
            s.executeUpdate();
        }
        a.beat();
        int beforeTheStop = a.alive();

        stopped.close();
        a.beat();

        assertThat(beforeTheStop).as("the stale one left out").isEqualTo(2);
        assertThat(a.alive()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheLastCountWhenTheDatabaseCannotBeReached() {
        ApiInstances a = ApiInstances.manual(db.dataSource(), "api-0");
        ApiInstances.manual(db.dataSource(), "api-1").beat();
        a.beat();

        db.close();
        a.beat();

        assertThat(a.alive()).isEqualTo(2);
    }
}
