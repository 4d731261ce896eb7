-- API keys get what a merchant can see and manage: a key id shown to users (never the secret), a
-- name, the scopes the key may use, a rate limit (requests per second per API instance; NULL is
-- unlimited), an expiry, and who made and revoked it. Keys issued before this migration could do
-- everything with no limit and keep doing so until they are rotated.
ALTER TABLE api_keys
    ADD COLUMN key_id      TEXT,
    ADD COLUMN name        TEXT,
    ADD COLUMN scopes      TEXT[] NOT NULL DEFAULT ARRAY['payments:write', 'payments:read',
        'refunds:write', 'reviews:write', 'webhooks:write'],
    ADD COLUMN rate_limit  INTEGER CHECK (rate_limit IS NULL OR rate_limit > 0),
    ADD COLUMN expires_at  TIMESTAMPTZ,
    ADD COLUMN created_by  TEXT,
    ADD COLUMN revoked_by  TEXT;

UPDATE api_keys SET key_id = 'key_' || substr(md5(key_hash), 1, 20);

ALTER TABLE api_keys ALTER COLUMN key_id SET NOT NULL;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_key_id UNIQUE (key_id);
ALTER TABLE api_keys ALTER COLUMN scopes DROP DEFAULT;
