-- The API instances alive now: each writes its row every few seconds and counts the rows seen
-- lately, so that a key's rate limit is shared out between them (each instance allows its share).
CREATE TABLE api_instances (
    instance TEXT PRIMARY KEY,
    seen_at TIMESTAMPTZ NOT NULL
);
