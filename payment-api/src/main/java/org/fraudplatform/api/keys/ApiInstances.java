package org.fraudplatform.api.keys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many API instances are alive, from the {@code api_instances} table: every {@link #BEAT} each
 * instance writes its row and counts the rows written within {@link #ALIVE}, its own included. A
 * key's rate limit is shared out between them ({@link ApiKeys}): each instance allows the limit
 * divided by this count, so the instances together never allow more than the limit, however a load
 * balancer spreads the requests. An instance that stops deletes its row; one that dies is no longer
 * counted {@link #ALIVE} after its last beat. When the database cannot be reached the last count
 * stays.
 */
public final class ApiInstances implements AutoCloseable {

    /** How often an instance writes its row and counts. */
    public static final Duration BEAT = Duration.ofSeconds(5);

    /** How long after its last beat an instance is still counted. */
    public static final Duration ALIVE = Duration.ofSeconds(15);

    private static final Logger log = LoggerFactory.getLogger(ApiInstances.class);

    private final DataSource dataSource;
    private final String instance;
    private final ScheduledExecutorService beats;
    private volatile int alive = 1;

    private ApiInstances(DataSource dataSource, String instance, boolean beating) {
        this.dataSource = dataSource;
        this.instance = instance;
        this.beats =
                beating
                        ? Executors.newSingleThreadScheduledExecutor(
                                r -> {
                                    Thread t = new Thread(r, "api-instances");
                                    t.setDaemon(true);
                                    return t;
                                })
                        : null;
    }

    /**
     * Writes this instance's row, counts, and goes on every {@link #BEAT}.
     *
     * @param instance this instance's name, distinct among the API instances of the database
     */
    public static ApiInstances start(DataSource dataSource, String instance) {
        ApiInstances instances = new ApiInstances(dataSource, instance, true);
        instances.beat();
        instances.beats.scheduleWithFixedDelay(
                instances::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
        return instances;
    }

    /** An instance that beats only when told ({@link #beat}): for tests on a clock of their own. */
    static ApiInstances manual(DataSource dataSource, String instance) {
        return new ApiInstances(dataSource, instance, false);
    }

    /** The instances alive at the last beat, this one included: at least 1. */
    public int alive() {
        return alive;
    }

    /** Writes this instance's row and counts the instances seen within {@link #ALIVE}. */
    void beat() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement write =
                        c.prepareStatement(
                                "INSERT INTO api_instances (instance, seen_at) VALUES (?, now())"
                                        + " ON CONFLICT (instance) DO UPDATE SET seen_at = now()");
                PreparedStatement count =
                        c.prepareStatement(
                                "SELECT count(*) FROM api_instances WHERE seen_at > now() -"
                                        + " make_interval(secs => ?)")) {
            write.setString(1, instance);
            write.executeUpdate();
            count.setLong(1, ALIVE.toSeconds());
            try (ResultSet r = count.executeQuery()) {
                r.next();
                int now = Math.max(1, r.getInt(1));
                if (now != alive) {
                    log.info(
                            "{} API instance(s) alive: each allows 1/{} of a key's rate limit",
                            now,
                            now);
                }
                alive = now;
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot count the API instances ({}); keeping {}", e.getMessage(), alive);
        }
    }

    /** Stops beating and deletes this instance's row, so the others count it out at once. */
    @Override
    public void close() {
        if (beats != null) {
            beats.shutdownNow();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("DELETE FROM api_instances WHERE instance = ?")) {
            s.setString(1, instance);
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            log.warn("cannot remove API instance {}: {}", instance, e.getMessage());
        }
    }
}
