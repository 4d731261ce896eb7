-- A request holds its idempotency key under a lease: a key still in flight after locked_until
-- belongs to a request whose process died, and a retry may learn what became of the payment it
-- was reserved for (payment_id) or take the key over. Rows from before have no lease: their
-- created_at plus the default lease stands in.
ALTER TABLE idempotency_keys ADD COLUMN payment_id TEXT;
ALTER TABLE idempotency_keys ADD COLUMN locked_until TIMESTAMPTZ;

-- Payments answered pending, for the sweep that fails those whose decision was lost.
CREATE INDEX payments_pending ON payments (created_at) WHERE status = 'pending';
