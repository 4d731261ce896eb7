-- What an analyst needs beside the ledger's history (the console's case page and overview), each
-- table a projection of one topic, written exactly once with its offsets in projection_offsets
-- like payment_history.

-- Every risk decision (payments.decisions): the action and score, the feature values the decision
-- used, the champion's and the shadow model's scores, the shadow rules' result. Reasons are
-- [{"code", "message", "source"}]; features {"name": value} by catalogue name.
CREATE TABLE payment_decisions (
    payment_id            TEXT PRIMARY KEY,
    merchant_id           TEXT NOT NULL,
    action                TEXT NOT NULL,    -- APPROVE, REVIEW, DECLINE
    score                 DOUBLE PRECISION NOT NULL,
    reasons               JSONB NOT NULL,
    ruleset_version       TEXT NOT NULL,
    model_version         TEXT,
    model_score           DOUBLE PRECISION,
    shadow_model_version  TEXT,
    shadow_model_score    DOUBLE PRECISION,
    shadow_action         TEXT,
    shadow_reasons        JSONB NOT NULL,
    features              JSONB NOT NULL,
    latency_micros        BIGINT NOT NULL,
    decided_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_decisions_decided ON payment_decisions (decided_at);

-- The overview's counts, added up by the same projection in the same transaction (so each
-- decision counts once): decisions per minute (UTC, truncated) and action, and per minute and
-- reason code. The overview of an hour reads at most 60 rows per action, whatever the volume.
CREATE TABLE decision_minutes (
    minute     TIMESTAMPTZ NOT NULL,
    action     TEXT NOT NULL,
    decisions  BIGINT NOT NULL,
    PRIMARY KEY (minute, action)
);
CREATE TABLE decision_reason_minutes (
    minute     TIMESTAMPTZ NOT NULL,
    code       TEXT NOT NULL,
    decisions  BIGINT NOT NULL,
    PRIMARY KEY (minute, code)
);

-- Who and what each payment came from (payments.requests): the keys the features are counted
-- per, so that a case links to the other payments of its card, customer, e-mail, IP and device.
-- email_hash is the keyed hash the API made; no address, no card number is here.
CREATE TABLE payment_links (
    payment_id      TEXT PRIMARY KEY,
    merchant_id     TEXT NOT NULL,
    instrument_key  TEXT NOT NULL,
    customer_id     TEXT,
    email_hash      TEXT,
    ip              TEXT,
    device_id       TEXT,
    requested_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_links_instrument ON payment_links (instrument_key, requested_at);
CREATE INDEX payment_links_customer ON payment_links (merchant_id, customer_id, requested_at)
    WHERE customer_id IS NOT NULL;
CREATE INDEX payment_links_email ON payment_links (email_hash, requested_at)
    WHERE email_hash IS NOT NULL;
CREATE INDEX payment_links_ip ON payment_links (ip, requested_at) WHERE ip IS NOT NULL;
CREATE INDEX payment_links_device ON payment_links (device_id, requested_at)
    WHERE device_id IS NOT NULL;

-- What became known about whether a payment was fraud (labels): chargebacks, review outcomes,
-- fraud reports. One row per label; a payment may have several.
CREATE TABLE payment_labels (
    label_id     TEXT PRIMARY KEY,
    payment_id   TEXT NOT NULL,
    merchant_id  TEXT NOT NULL,
    fraud        BOOLEAN NOT NULL,
    source       TEXT NOT NULL,    -- CHARGEBACK, REVIEW, FRAUD_REPORT, OTHER
    reason_code  TEXT,
    known_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_labels_payment ON payment_labels (payment_id, known_at);

COMMENT ON TABLE payment_decisions IS
    'Every risk decision (payments.decisions) with its features and model scores; written by the decisions projection.';
COMMENT ON TABLE decision_minutes IS
    'Decisions per minute and action, counted by the decisions projection.';
COMMENT ON TABLE decision_reason_minutes IS
    'Decisions per minute and reason code, counted by the decisions projection.';
COMMENT ON TABLE payment_links IS
    'Each payment''s card, customer, e-mail hash, IP and device (payments.requests); written by the links projection.';
COMMENT ON TABLE payment_labels IS
    'Fraud labels (labels topic) per payment; written by the labels projection.';
