-- Reports published to the platform by the command line, for the console: a rule back-test's
-- report (bin/fraud rules backtest --publish: the candidate ruleset against the baseline) and a
-- model's evaluation report (bin/fraud models register --report: the registered version). The page
-- is the platform's own report.html, kept whole; the console serves it on its own URL under a
-- sandboxing Content-Security-Policy. Publications are only added, never changed: a refused one
-- leaves the earlier reports as they were, and a model's newest report is the one linked.
CREATE TABLE reports (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('backtest', 'evaluation')),
    subject       TEXT NOT NULL,    -- the candidate ruleset's version, or the model's version
    baseline      TEXT,             -- a back-test's baseline ruleset version; null otherwise
    headline      TEXT NOT NULL,    -- the numbers the console lists beside it
    author        TEXT NOT NULL,    -- person:<name>
    published_at  TIMESTAMPTZ NOT NULL,
    sha256        TEXT NOT NULL,
    html          TEXT NOT NULL
);

CREATE INDEX reports_newest ON reports (kind, published_at DESC, id DESC);
CREATE INDEX reports_of_subject ON reports (kind, subject, published_at DESC, id DESC);

COMMENT ON TABLE reports IS
    'Back-test and model evaluation reports published by the command line, shown by the console.';
