package org.fraudplatform.offline.backfill;

/** A history row routed to one entity ({@code <entity>:<key>}). Flink POJO. */
public class EntityUpdate {

    public String key;

    /** The entity's name ({@code CARD}, {@code MERCHANT} …). */
    public String entity;

    /** For payments: how many entities send a part, so the join knows when it has them all. */
    public int expected;

    public HistoryRow row;

    public EntityUpdate() {}

    EntityUpdate(String key, String entity, int expected, HistoryRow row) {
        this.key = key;
        this.entity = entity;
        this.expected = expected;
        this.row = row;
    }
}
