-- A bank transfer's money counts like a card's: SETTLED (the money arrived) is authorized and
-- captured at once, RETURNED (it went back) is refunded, as the payment's own state counts them.
CREATE OR REPLACE VIEW merchant_balances AS
SELECT merchant_id,
       currency,
       COALESCE(SUM(amount) FILTER (WHERE type IN ('AUTHORIZED', 'SETTLED')), 0)::BIGINT AS authorized,
       COALESCE(SUM(amount) FILTER (WHERE type IN ('CAPTURED', 'SETTLED')), 0)::BIGINT   AS captured,
       COALESCE(SUM(amount) FILTER (WHERE type IN ('REFUNDED', 'RETURNED')), 0)::BIGINT  AS refunded,
       COALESCE(SUM(CASE type WHEN 'CHARGEBACK_OPENED' THEN amount
                              WHEN 'CHARGEBACK_WON' THEN -amount END), 0)::BIGINT AS charged_back
FROM payment_events
GROUP BY merchant_id, currency;
