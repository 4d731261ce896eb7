package org.fraudplatform.api.people;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Four eyes as the platform's policy ({@code four_eyes}): for a kind of change where an
 * administrator requires it, one person proposes and another approves ({@code rules deploy
 * --require-approval} and {@code rules approve}; {@code models promote --require-approval} and
 * {@code models approve}), and the change made by one person alone is refused, on the command line
 * and in the console alike. Rollbacks stay one person's: they put back what two people approved.
 */
public final class FourEyes {

    /** A change one person made alone where the policy requires four eyes. */
    public static final class Required extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Required(String message) {
            super(message);
        }
    }

    /** The kinds of change four eyes can be required for. */
    public static final Set<Permission> APPLIES_TO = Set.of(Permission.RULES, Permission.MODELS);

    private final DataSource dataSource;
    private final Clock clock;

    public FourEyes(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Whether changes needing {@code permission} need a second person. */
    public boolean required(Permission permission) {
        return policy().getOrDefault(permission, false);
    }

    /** The policy of every kind of change it applies to. */
    public Map<Permission, Boolean> policy() {
        Map<Permission, Boolean> policy = new EnumMap<>(Permission.class);
        for (Permission p : APPLIES_TO) {
            policy.put(p, false);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT permission, required FROM four_eyes");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                policy.put(Permission.valueOf(r.getString(1)), r.getBoolean(2));
            }
            return policy;
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot read the four-eyes policy: " + e.getMessage(), e);
        }
    }

    /**
     * Requires four eyes for changes needing {@code permission}, or stops requiring them.
     *
     * @throws IllegalArgumentException for a permission four eyes does not apply to
     */
    public void require(Permission permission, boolean required, String by) {
        if (!APPLIES_TO.contains(permission)) {
            throw new IllegalArgumentException(
                    "four eyes apply to rules and models, not to: " + permission.words());
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO four_eyes (permission, required, changed_by,"
                                        + " changed_at) VALUES (?, ?, ?, ?) ON CONFLICT"
                                        + " (permission) DO UPDATE SET required ="
                                        + " EXCLUDED.required, changed_by = EXCLUDED.changed_by,"
                                        + " changed_at = EXCLUDED.changed_at")) {
            s.setString(1, permission.name());
            s.setBoolean(2, required);
            s.setString(3, by);
            s.setTimestamp(4, Timestamp.from(clock.instant()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot change the four-eyes policy: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a change one person makes alone where the policy requires four eyes.
     *
     * @param what the change, for the refusal: "a rules deploy"
     * @param howToPropose what to do instead: "fraud rules deploy --require-approval"
     * @throws Required when the policy requires four eyes for it
     */
    public void refuseAlone(Permission permission, String what, String howToPropose) {
        if (required(permission)) {
            throw new Required(
                    "four eyes are required for "
                            + what
                            + " (fraud policy four-eyes): propose it with '"
                            + howToPropose
                            + "', and another person approves it");
        }
    }
}
