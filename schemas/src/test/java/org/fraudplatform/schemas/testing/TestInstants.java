package org.fraudplatform.schemas.testing;

import java.time.Instant;

/** Named instants for tests: time is data, never the wall clock. */
public final class TestInstants {

    /** Monday 2 March 2026, 10:00 UTC. */
    public static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private TestInstants() {}
}
