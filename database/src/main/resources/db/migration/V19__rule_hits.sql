-- The rules page's hit counts: decisions per minute (UTC, truncated), rule and mode (live rules
-- decide, shadow rules are recorded only), added up by the decisions projection in the same
-- transaction as it writes each decision, so each decision counts once per rule it carries. A
-- day's hits read at most 1 440 rows per rule, whatever the volume.
CREATE TABLE rule_hit_minutes (
    minute     TIMESTAMPTZ NOT NULL,
    rule       TEXT NOT NULL,    -- the rule's name, from its reasons' source "rule:<name>"
    mode       TEXT NOT NULL,    -- live, shadow
    decisions  BIGINT NOT NULL,
    PRIMARY KEY (minute, rule, mode)
);

-- The labels that became known since a time: the share of frauds among a day's hits reads the
-- labels known in that day (a label is known after its payment was decided).
CREATE INDEX payment_labels_known ON payment_labels (known_at);

COMMENT ON TABLE rule_hit_minutes IS
    'Decisions per minute, rule and mode (live or shadow), counted by the decisions projection.';
