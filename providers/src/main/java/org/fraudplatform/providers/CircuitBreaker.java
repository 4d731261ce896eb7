package org.fraudplatform.providers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A circuit breaker for one provider: after a number of failures in a row it opens and the provider
 * is not called during a cool-down; then it half-opens and lets one trial call through, which
 * closes it on success and opens it again on failure.
 *
 * <p>A failure is a call that did not reach a decision: the provider was unavailable, did not
 * answer in time, or the call failed. Any answer, a decline included, is a success.
 */
public final class CircuitBreaker {

    /** Where the breaker stands. */
    public enum State {
        /** Calls go through. */
        CLOSED,
        /** Calls are refused until the cool-down has passed. */
        OPEN,
        /** The cool-down has passed: the next call is a trial. */
        HALF_OPEN
    }

    /**
     * @param failureThreshold failures in a row that open the breaker
     * @param coolDown how long an open breaker refuses calls
     */
    public record Settings(int failureThreshold, Duration coolDown) {

        /** Five failures in a row, 30 s cool-down. */
        public static final Settings DEFAULT = new Settings(5, Duration.ofSeconds(30));

        public Settings {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1");
            }
            Objects.requireNonNull(coolDown, "coolDown");
        }
    }

    private final Settings settings;
    private final Clock clock;
    private State state = State.CLOSED;
    private int failures;
    private Instant openedAt;
    private boolean trialInFlight;

    public CircuitBreaker(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The state now; an open breaker whose cool-down has passed reads as half-open. */
    public synchronized State state() {
        if (state == State.OPEN && coolDownPassed()) {
            return State.HALF_OPEN;
        }
        return state;
    }

    /**
     * Asks to make a call. True when the breaker is closed, or when it is the single trial call of
     * a half-open breaker; the caller then reports the outcome with {@link #succeeded} or {@link
     * #failed}.
     */
    public synchronized boolean tryAcquire() {
        if (state == State.OPEN && coolDownPassed()) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
            case OPEN -> false;
        };
    }

    /** The call reached a decision: the breaker closes. */
    public synchronized void succeeded() {
        state = State.CLOSED;
        failures = 0;
        trialInFlight = false;
    }

    /** The call did not reach a decision. */
    public synchronized void failed() {
        failures++;
        trialInFlight = false;
        if (state == State.HALF_OPEN || failures >= settings.failureThreshold()) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
    }

    private boolean coolDownPassed() {
        return !clock.instant().isBefore(openedAt.plus(settings.coolDown()));
    }
}
