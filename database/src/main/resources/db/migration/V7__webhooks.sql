-- Webhooks: the endpoints merchants register and every delivery to them. A delivery is one ledger
-- event to one endpoint (id <event id>:<endpoint id>, so an event re-read from Kafka is queued
-- once); pending ones are retried with exponential backoff until delivered or failed.
CREATE TABLE webhook_endpoints (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    url         TEXT NOT NULL,
    events      TEXT NOT NULL,          -- comma-separated event types, or * for all
    secret      TEXT NOT NULL,          -- signs the deliveries (HMAC-SHA256); shown once
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id) WHERE enabled;

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,   -- <event id>:<endpoint id>
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id),
    merchant_id     TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,      -- the JSON body sent
    status          TEXT NOT NULL,      -- pending, delivered, failed
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMPTZ,        -- when pending: the next try (also a sender's lease)
    last_status     INTEGER,            -- the endpoint's last HTTP status
    last_error      TEXT,
    event_time      TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_merchant ON webhook_deliveries (merchant_id, status, created_at);
