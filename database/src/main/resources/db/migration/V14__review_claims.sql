-- Who works a review case in the console: one person per payment at a time, so that two analysts
-- do not work the same case. A claim is released by its holder (or an administrator); once the
-- review is decided it stays as the record of who worked the case.
CREATE TABLE review_claims (
    payment_id  TEXT PRIMARY KEY,
    person      TEXT NOT NULL REFERENCES people (name),
    claimed_at  TIMESTAMPTZ NOT NULL
);
