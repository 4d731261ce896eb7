package org.fraudplatform.database.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.fraudplatform.database.Batches;

/**
 * Applies batches of a topic's records to PostgreSQL tables exactly once: what a {@link Projector}
 * hands its batches to. Subclasses write the rows ({@link #write}); this class keeps the offsets.
 *
 * <p>One transaction per batch: the offset rows in {@code projection_offsets} are locked ({@code
 * FOR UPDATE}) first, in a fixed order; records below the stored offset are skipped (a batch
 * applied twice, after a lost commit acknowledgement or by two projectors on one database, changes
 * nothing the second time); the subclass writes the rest; the offsets move to the last applied
 * offset + 1 of each partition. Rows and offsets commit together, so a restart that resumes from
 * {@link #storedOffsets()} neither loses nor repeats a record.
 *
 * @param <V> the topic's value type
 */
public abstract class ProjectionWriter<V> {

    private static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final DataSource dataSource;
    private final String projection;
    private final String what;

    /**
     * @param projection name under which offsets are stored; two writers with different names keep
     *     separate positions
     * @param what the records in words, for error messages (e.g. "payment snapshots")
     */
    protected ProjectionWriter(DataSource dataSource, String projection, String what) {
        this.dataSource = dataSource;
        this.projection = projection;
        this.what = what;
    }

    /**
     * Writes the batch's new records (non-null values, in partition then offset order) in the
     * batch's transaction.
     */
    protected abstract void write(Connection c, List<V> fresh) throws SQLException;

    /**
     * Applies the records in one transaction and returns how many were new (at or past the stored
     * offset of their partition). A {@code null} value (a compaction tombstone) only moves the
     * offset.
     *
     * @throws IllegalStateException when the database refuses or fails; then nothing was applied
     */
    public int apply(List<ConsumerRecord<String, V>> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, List<ConsumerRecord<String, V>>> byPartition =
                new TreeMap<>(PARTITION_ORDER);
        for (ConsumerRecord<String, V> r : batch) {
            byPartition
                    .computeIfAbsent(
                            new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>())
                    .add(r);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                relaxDurability(c);
                int applied = apply(c, byPartition);
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot apply " + batch.size() + " " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * A projection's commit does not wait for its write-ahead log to reach the disk ({@code SET
     * LOCAL synchronous_commit = off}, this transaction only). A crash of the database can lose its
     * last few hundred milliseconds of projection commits, but it loses their stored offsets with
     * them, in the same transaction: the projector reads those records again from the topic and
     * applies them once. What must survive a crash the moment it is confirmed (idempotency
     * reservations, provider records, stored replies) commits on disk as before. On the 2-core
     * machine this spares the projections' several fsyncs a batch that competed with the payment
     * path's own.
     */
    private static void relaxDurability(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = off");
        }
    }

    private int apply(
            Connection c, Map<TopicPartition, List<ConsumerRecord<String, V>>> byPartition)
            throws SQLException {
        Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        List<V> fresh = new ArrayList<>();
        int applied = 0;
        Map<TopicPartition, Long> storedOffsets = lockOffsets(c, byPartition.keySet());
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, V>>> e :
                byPartition.entrySet()) {
            TopicPartition tp = e.getKey();
            long stored = storedOffsets.get(tp);
            long next = stored;
            for (ConsumerRecord<String, V> r : e.getValue()) {
                if (r.offset() < stored) {
                    continue; // applied before
                }
                next = Math.max(next, r.offset() + 1);
                applied++;
                if (r.value() != null) {
                    fresh.add(r.value());
                }
            }
            if (next != stored) {
                nextOffsets.put(tp, next);
            }
        }
        write(c, fresh);
        storeOffsets(c, nextOffsets);
        return applied;
    }

    /**
     * Creates the partitions' offset rows if missing, locks them in partition order and returns
     * their next offsets: two statements a topic, however many partitions the batch spans.
     */
    private Map<TopicPartition, Long> lockOffsets(Connection c, Set<TopicPartition> partitions)
            throws SQLException {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            Integer[] numbers = e.getValue().stream().sorted().toArray(Integer[]::new);
            java.sql.Array array = c.createArrayOf("integer", numbers);
            try {
                try (PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO projection_offsets (projection, topic, partition,"
                                        + " next_offset) SELECT ?, ?, p, 0 FROM unnest(?) AS p"
                                        + " ON CONFLICT DO NOTHING")) {
                    s.setString(1, projection);
                    s.setString(2, e.getKey());
                    s.setArray(3, array);
                    s.executeUpdate();
                }
                // rows are locked in the order the sort returns them: a fixed order, no deadlock
                try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT partition, next_offset FROM projection_offsets"
                                        + " WHERE projection = ? AND topic = ?"
                                        + " AND partition = ANY(?) ORDER BY partition FOR UPDATE")) {
                    s.setString(1, projection);
                    s.setString(2, e.getKey());
                    s.setArray(3, array);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            offsets.put(
                                    new TopicPartition(e.getKey(), rs.getInt(1)), rs.getLong(2));
                        }
                    }
                }
            } finally {
                array.free();
            }
        }
        return offsets;
    }

    private void storeOffsets(Connection c, Map<TopicPartition, Long> nextOffsets)
            throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "UPDATE projection_offsets SET next_offset = ?, updated_at = now()"
                                + " WHERE projection = ? AND topic = ? AND partition = ?")) {
            for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
                s.setLong(1, e.getValue());
                s.setString(2, projection);
                s.setString(3, e.getKey().topic());
                s.setInt(4, e.getKey().partition());
                s.addBatch();
            }
            Batches.execute(s);
        }
    }

    /** The offset of the next record to apply, per partition this projection has applied. */
    public Map<TopicPartition, Long> storedOffsets() {
        String sql =
                "SELECT topic, partition, next_offset FROM projection_offsets WHERE projection = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, projection);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
            return offsets;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the offsets of projection " + projection + ": " + e.getMessage(),
                    e);
        }
    }

    /** The offsets name of this writer's projection. */
    public String projection() {
        return projection;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection: the pool discards it
        }
    }
}
