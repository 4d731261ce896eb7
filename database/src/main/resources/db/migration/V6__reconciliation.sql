-- Reconciliation: a projection of the compacted reconciliation.items topic (the reconciliation
-- topology's state of each money movement, ledger against provider settlement), for merchants'
-- and analysts' queries. Written only by its projection, rows and offsets in one transaction.
-- Amounts are in minor units of the currency next to them.
CREATE TABLE reconciliation_items (
    item_id          TEXT PRIMARY KEY,      -- <payment id>/<operation id>
    payment_id       TEXT NOT NULL,
    operation_id     TEXT NOT NULL,
    merchant_id      TEXT,                  -- null when the ledger never saw the payment
    provider         TEXT,
    type             TEXT NOT NULL,         -- CAPTURE, REFUND
    day              DATE NOT NULL,         -- settlement date, or the movement's day until settled
    status           TEXT NOT NULL,         -- OPEN, MATCHED, EXCEPTION, RESOLVED
    category         TEXT NOT NULL,         -- MATCHED, AMOUNT_MISMATCH, MISSING_IN_SETTLEMENT, ...
    ledger_amount    BIGINT,
    ledger_currency  TEXT,
    settled_amount   BIGINT,
    settled_currency TEXT,
    settlement_rows  INTEGER NOT NULL,
    fee              BIGINT NOT NULL,
    resolved_by      TEXT,
    resolution       TEXT,
    history          JSONB NOT NULL,        -- [{at, status, category, note}]
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX reconciliation_items_day ON reconciliation_items (day, status, category);
CREATE INDEX reconciliation_items_merchant_day ON reconciliation_items (merchant_id, day);
