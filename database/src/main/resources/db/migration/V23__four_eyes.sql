-- Four eyes on the models: promotions proposed with `models promote --require-approval`, waiting
-- for another person's `models approve`. The model itself is already registered (signed, on the
-- models topic); what waits is the promotion of that version to champion.
CREATE TABLE model_proposals (
    version TEXT PRIMARY KEY,
    proposed_by TEXT NOT NULL,
    proposed_at TIMESTAMPTZ NOT NULL,
    approved_by TEXT,
    approved_at TIMESTAMPTZ
);

-- Four eyes as a policy: where `required` is true for a permission (rules, models), a change of
-- that kind must be proposed and approved by two people (`fraud policy four-eyes`).
CREATE TABLE four_eyes (
    permission TEXT PRIMARY KEY,
    required BOOLEAN NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
