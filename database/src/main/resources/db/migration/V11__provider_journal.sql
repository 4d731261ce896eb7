-- The simulated providers' memory, shared by every API instance: each operation a provider
-- performed, once. An authorization has the operation id ''; a capture, void or refund its own,
-- unique within the payment. A capture that reaches another instance than the authorization
-- finds it here.
CREATE TABLE provider_journal (
    provider      TEXT NOT NULL,
    payment_id    TEXT NOT NULL,
    operation_id  TEXT NOT NULL,
    operation     TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    amount        BIGINT NOT NULL,
    currency      TEXT,
    outcome       TEXT NOT NULL,
    reference     TEXT,
    code          TEXT,
    PRIMARY KEY (provider, payment_id, operation_id)
);
CREATE INDEX provider_journal_reference ON provider_journal (provider, reference);
