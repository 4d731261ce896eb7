-- The merchant-scoped card fingerprint the API shows, so a merchant can look up a card's payments
-- by what it knows (the global card token is never shown to merchants).
ALTER TABLE payments ADD COLUMN card_fingerprint TEXT;
CREATE INDEX payments_merchant_fingerprint ON payments (merchant_id, card_fingerprint);
