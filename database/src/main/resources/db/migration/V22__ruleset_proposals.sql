-- Four eyes: ruleset releases proposed with `rules deploy --require-approval`, waiting for another
-- person's `rules approve`. The release is kept unsigned (Avro's single-object encoding); it is
-- signed and published when approved.
CREATE TABLE ruleset_proposals (
    version TEXT PRIMARY KEY,
    release BYTEA NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at TIMESTAMPTZ NOT NULL,
    approved_by TEXT,
    approved_at TIMESTAMPTZ
);
