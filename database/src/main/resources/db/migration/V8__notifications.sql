-- Customer notifications: how to reach the customer of a payment (given with the payment; the
-- card number is never here), and every notification decided, once per payment, event and channel.
CREATE TABLE payment_contacts (
    payment_id  TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    email       TEXT,
    phone       TEXT,                 -- E.164
    device_id   TEXT,                 -- push target
    locale      TEXT NOT NULL,        -- en, de, ...
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE customer_notifications (
    payment_id  TEXT NOT NULL,
    event_type  TEXT NOT NULL,        -- payment.captured, ...
    channel     TEXT NOT NULL,        -- email, sms, push
    recipient   TEXT NOT NULL,
    status      TEXT NOT NULL,        -- sent, rate_limited, failed
    detail      TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (payment_id, event_type, channel)
);
CREATE INDEX customer_notifications_recipient ON customer_notifications (recipient, created_at)
    WHERE status = 'sent';
