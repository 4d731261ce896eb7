-- People's tokens: how a person authenticates on the command line (--token, FRAUD_TOKEN) and on the
-- HTTP operator routes (Authorization: Bearer). Only the SHA-256 of a token is kept; the token id
-- (its first characters, not secret) names it in lists and in the audit trail. A token ends at its
-- expiry, when revoked, or when its person is disabled.
CREATE TABLE person_tokens (
    token_hash  BYTEA PRIMARY KEY,
    token_id    TEXT NOT NULL UNIQUE,
    person      TEXT NOT NULL REFERENCES people (name),
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    revoked_by  TEXT
);
CREATE INDEX person_tokens_person ON person_tokens (person);

-- The audit trail (topic audit.events), projected exactly once for GET /v1/audit: who did what,
-- when, to what, from where. Rows are only ever inserted.
CREATE TABLE audit_events (
    event_id  TEXT PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    details   JSONB NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at, event_id);
CREATE INDEX audit_events_actor ON audit_events (actor, at);
CREATE INDEX audit_events_action ON audit_events (action, at);
