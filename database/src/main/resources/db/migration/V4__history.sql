-- Payment history: a projection of the ledger's compacted payments.snapshots topic, for merchant
-- queries (search, reviews, balances) and for analysts. Written only by the history projection,
-- which applies each batch of snapshots and the Kafka offsets it read them from in one transaction,
-- so every snapshot is applied exactly once. Amounts are in minor units of the row's currency.

-- One row per payment: its state as the ledger last folded it.
CREATE TABLE payment_history (
    id                TEXT PRIMARY KEY,
    merchant_id       TEXT NOT NULL,
    instrument_key    TEXT NOT NULL,    -- card, account or wallet token; never a card number
    customer_id       TEXT,
    payment_method    TEXT NOT NULL,    -- CARD, BANK_TRANSFER, WALLET
    status            TEXT NOT NULL,    -- pending, authorized, review, captured, refunded, ...
    currency          TEXT NOT NULL,
    authorized        BIGINT NOT NULL,
    capturable        BIGINT NOT NULL,
    captured          BIGINT NOT NULL,
    refunded          BIGINT NOT NULL,
    charged_back      BIGINT NOT NULL,
    under_review      BOOLEAN NOT NULL,
    capturable_until  TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,   -- when the payment was requested
    updated_at        TIMESTAMPTZ NOT NULL    -- time of its newest event
);
-- A merchant's payments newest first, optionally by card, customer or status (keyset pagination
-- on created_at, id).
CREATE INDEX payment_history_merchant_created
    ON payment_history (merchant_id, created_at, id);
CREATE INDEX payment_history_merchant_instrument
    ON payment_history (merchant_id, instrument_key, created_at, id);
CREATE INDEX payment_history_merchant_customer
    ON payment_history (merchant_id, customer_id, created_at, id)
    WHERE customer_id IS NOT NULL;
CREATE INDEX payment_history_merchant_status
    ON payment_history (merchant_id, status, created_at, id);
-- The manual review queue: a merchant's payments under review, oldest first.
CREATE INDEX payment_history_merchant_reviews
    ON payment_history (merchant_id, created_at, id)
    WHERE under_review;

-- Every ledger event of every payment, once each (event_id is unique in the ledger).
-- ordinal is the event's position in its payment's ledger: ORDER BY ordinal lists them in order.
CREATE TABLE payment_events (
    event_id      TEXT PRIMARY KEY,
    payment_id    TEXT NOT NULL,
    merchant_id   TEXT NOT NULL,
    ordinal       INTEGER NOT NULL,
    type          TEXT NOT NULL,    -- AUTHORIZED, CAPTURED, REFUNDED, CHARGEBACK_OPENED, ...
    amount        BIGINT NOT NULL,  -- money moved by this event
    currency      TEXT NOT NULL,
    operation_id  TEXT,             -- capture, refund or chargeback id
    reason_code   TEXT,             -- decline, failure or chargeback reason
    provider      TEXT,
    event_time    TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, ordinal);
CREATE INDEX payment_events_merchant ON payment_events (merchant_id, currency);

-- Where each projection stands in each partition of the topics it reads: the offset of the next
-- record to apply. Committed in the same transaction as the rows, so a restart resumes exactly
-- after the last applied record; Kafka's own committed offsets are never used.
CREATE TABLE projection_offsets (
    projection   TEXT NOT NULL,
    topic        TEXT NOT NULL,
    partition    INTEGER NOT NULL,
    next_offset  BIGINT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, topic, partition)
);

-- Money per merchant and currency, computed from the events themselves, so balances always equal
-- the sum of the history: AUTHORIZED adds to authorized, CAPTURED to captured, REFUNDED to
-- refunded; CHARGEBACK_OPENED adds to charged_back and CHARGEBACK_WON takes it back.
CREATE VIEW merchant_balances AS
SELECT merchant_id,
       currency,
       COALESCE(SUM(amount) FILTER (WHERE type = 'AUTHORIZED'), 0)::BIGINT AS authorized,
       COALESCE(SUM(amount) FILTER (WHERE type = 'CAPTURED'), 0)::BIGINT   AS captured,
       COALESCE(SUM(amount) FILTER (WHERE type = 'REFUNDED'), 0)::BIGINT   AS refunded,
       COALESCE(SUM(CASE type WHEN 'CHARGEBACK_OPENED' THEN amount
                              WHEN 'CHARGEBACK_WON' THEN -amount END), 0)::BIGINT AS charged_back
FROM payment_events
GROUP BY merchant_id, currency;

COMMENT ON TABLE payment_history IS
    'One row per payment: its latest state from the ledger (payments.snapshots). Amounts in minor units.';
COMMENT ON TABLE payment_events IS
    'Every ledger event of every payment, once each; ORDER BY payment_id, ordinal for ledger order.';
COMMENT ON TABLE projection_offsets IS
    'Next Kafka offset to apply per projection, topic and partition; committed with the rows.';
COMMENT ON VIEW merchant_balances IS
    'Per merchant and currency: sums of payment_events (charged_back = opened - won chargebacks).';
