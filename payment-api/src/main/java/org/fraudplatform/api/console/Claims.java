package org.fraudplatform.api.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Who works which review case ({@code V14__review_claims}): one person per payment at a time. */
final class Claims {

    /** A case's holder and since when. */
    record Claim(String person, Instant since) {}

    private final DataSource dataSource;
    private final Clock clock;

    Claims(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The case's claim, if somebody holds it. */
    Optional<Claim> of(String paymentId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT person, claimed_at FROM review_claims WHERE payment_id ="
                                        + " ?")) {
            s.setString(1, paymentId);
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? Optional.of(new Claim(r.getString(1), r.getTimestamp(2).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the claim: " + e.getMessage(), e);
        }
    }

    /**
     * Claims the case for the person unless somebody else holds it.
     *
     * @return who holds the case now: the person, or the one who had it first
     */
    Claim claim(String paymentId, String person) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO review_claims (payment_id, person, claimed_at) VALUES"
                                        + " (?, ?, ?) ON CONFLICT (payment_id) DO NOTHING")) {
            s.setString(1, paymentId);
            s.setString(2, person);
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim the case: " + e.getMessage(), e);
        }
        return of(paymentId).orElseThrow();
    }

    /**
     * Hands the case to {@code to}: allowed when nobody holds it, when {@code by} holds it, or for
     * {@code anyone} (an administrator).
     *
     * @return whether the case is now {@code to}'s
     */
    boolean assign(String paymentId, String to, String by, boolean anyone) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO review_claims (payment_id, person, claimed_at) VALUES"
                                        + " (?, ?, ?) ON CONFLICT (payment_id) DO UPDATE SET person"
                                        + " = EXCLUDED.person, claimed_at = EXCLUDED.claimed_at"
                                        + " WHERE ? OR review_claims.person = ?")) {
            s.setString(1, paymentId);
            s.setString(2, to);
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            s.setBoolean(4, anyone);
            s.setString(5, by);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot assign the case: " + e.getMessage(), e);
        }
    }

    /**
     * Puts the case's claim back as it was before a change that could not be audited: {@code
     * before}'s holder, or nobody.
     */
    void restore(String paymentId, Optional<Claim> before) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete =
                        c.prepareStatement("DELETE FROM review_claims WHERE payment_id = ?");
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO review_claims (payment_id, person, claimed_at) VALUES"
                                        + " (?, ?, ?)")) {
            c.setAutoCommit(false);
            delete.setString(1, paymentId);
            delete.executeUpdate();
            if (before.isPresent()) {
                insert.setString(1, paymentId);
                insert.setString(2, before.get().person());
                insert.setTimestamp(3, Timestamp.from(before.get().since()));
                insert.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot restore the claim: " + e.getMessage(), e);
        }
    }

    /** Releases the case if the person holds it (or {@code anyone}: an administrator). */
    boolean release(String paymentId, String person, boolean anyone) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "DELETE FROM review_claims WHERE payment_id = ? AND (? OR person ="
                                        + " ?)")) {
            s.setString(1, paymentId);
            s.setBoolean(2, anyone);
            s.setString(3, person);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release the case: " + e.getMessage(), e);
        }
    }
}
