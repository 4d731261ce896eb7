-- The people who work in the platform (fraud analysts, data scientists, administrators) and their
-- console sessions. A person signs in with a name and a password; only a salted PBKDF2 hash of the
-- password is kept (pbkdf2-sha256$<iterations>$<salt>$<hash>, base64). A session is known by the
-- SHA-256 of its cookie's secret, never the secret itself, and carries the token its forms must send
-- back (CSRF).
CREATE TABLE people (
    name           TEXT PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9._-]{1,39}$'),
    role           TEXT NOT NULL CHECK (role IN ('analyst', 'data-scientist', 'admin')),
    password_hash  TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT NOT NULL,
    disabled_at    TIMESTAMPTZ,
    disabled_by    TEXT
);

CREATE TABLE console_sessions (
    session_hash  BYTEA PRIMARY KEY,
    person        TEXT NOT NULL REFERENCES people (name),
    csrf_token    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
