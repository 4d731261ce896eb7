-- Encryption at rest of customers' contacts and webhook secrets (FieldCipher in the database
-- module; docs/security.md, "Encryption at rest").
--
-- The data keys: 256 random bits each, AES-256-GCM-wrapped (iv ‖ ciphertext ‖ tag) under a
-- key-encryption key derived with HKDF-SHA256 from the master key, which is derived from the
-- tokenization key and never stored in the database. The first is made the first time one is
-- needed; new values use the newest, and every value names the data key it was written under.
CREATE TABLE field_encryption_keys (
    id          INTEGER PRIMARY KEY,
    wrapped     BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- Columns that now hold enc1:<data key id>:<base64url(iv ‖ ciphertext ‖ tag)>, the column's name
-- bound to each value. Rows written before this migration keep their values in clear and are read
-- as they are; a one-off job can re-encrypt them (read, encrypt, UPDATE ... WHERE value NOT LIKE
-- 'enc1:%'). payment_contacts.device_id and locale stay in clear: the device id is an opaque
-- push target, useless without the push provider's credentials, and the same value travels in
-- clear in every payment request (payments.requests, the key of the device features),
-- so encrypting it here would hide nothing; a locale (en, de, ...) is shared by millions.
COMMENT ON COLUMN payment_contacts.email IS 'encrypted (enc1:...), or in clear when written before V16';
COMMENT ON COLUMN payment_contacts.phone IS 'encrypted (enc1:...), or in clear when written before V16';
COMMENT ON COLUMN webhook_endpoints.secret IS 'encrypted (enc1:...), or in clear when written before V16';

-- A notification's recipient is now a blind index (hex HMAC-SHA256 of the normalized address
-- under a key derived from the master key): enough to count one recipient's messages in the last
-- hour, the address itself is not kept. The addresses kept before cannot be turned into indexes
-- here (the key is not in the database) and no lookup would match them any more, so they are
-- erased; the payment's contact still says where each notification went. For the hour after the
-- upgrade the messages sent before it do not count towards a recipient's limit.
COMMENT ON COLUMN customer_notifications.recipient IS 'blind index of the recipient (64 hex digits); erased before V16';
UPDATE customer_notifications SET recipient = 'erased';
