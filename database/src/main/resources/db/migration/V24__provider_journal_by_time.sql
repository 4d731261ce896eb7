-- The simulated providers serve a day of settlement from their journal: by provider and time.
CREATE INDEX provider_journal_by_time ON provider_journal (provider, at);
