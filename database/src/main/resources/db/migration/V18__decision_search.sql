-- The console's decision search (newest first, keyset on decided_at, payment_id): an index for
-- each filter that the existing ones do not serve, so that a page reads the matching rows only,
-- whatever the volume (measured in DecisionSearchIT with 100 000 decisions).

-- A merchant's decisions, and the decisions of one action, newest first.
CREATE INDEX payment_decisions_merchant_decided
    ON payment_decisions (merchant_id, decided_at, payment_id);
CREATE INDEX payment_decisions_action_decided
    ON payment_decisions (action, decided_at, payment_id);
-- The decisions that carry a reason code: reasons @> '[{"code": "..."}]'.
CREATE INDEX payment_decisions_reasons ON payment_decisions USING gin (reasons jsonb_path_ops);
-- A customer's payments without naming the merchant.
CREATE INDEX payment_links_customer_any ON payment_links (customer_id, requested_at)
    WHERE customer_id IS NOT NULL;
-- The card behind a merchant's card fingerprint, without naming the merchant.
CREATE INDEX payments_card_fingerprint ON payments (card_fingerprint)
    WHERE card_fingerprint IS NOT NULL;
