package org.fraudplatform.api.people;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The people who work in the platform ({@code V13__people}), and their console sessions. A person
 * is created with a role and a one-time password that is shown once; the platform keeps only its
 * hash. A disabled person can neither sign in nor use a session opened before.
 */
public final class People {

    /** How long a console session lasts after sign-in. */
    public static final Duration SESSION_LENGTH = Duration.ofHours(8);

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{1,39}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Clock clock;

    public People(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** A person as listed: name, role, who created them and when, disabled or not. */
    public record Listed(
            String name, Role role, Instant createdAt, String createdBy, Instant disabledAt) {}

    /** A signed-in person's session: the cookie's secret and the token its forms send back. */
    public record Session(String secret, String csrfToken, Instant expiresAt) {}

    /** The person a session belongs to, with the session's CSRF token. */
    public record Signed(Person person, String csrfToken) {}

    /**
     * Creates a person and returns their one-time password.
     *
     * @throws IllegalArgumentException for a malformed name or a name already taken
     */
    public String create(String name, Role role, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a name is 2 to 40 lower-case letters, digits, '.', '_' or '-', starting with a"
                            + " letter: "
                            + name);
        }
        String password = Passwords.generate();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO people (name, role, password_hash, created_at,"
                                        + " created_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name)"
                                        + " DO NOTHING")) {
            s.setString(1, name);
            s.setString(2, role.label());
            s.setString(3, Passwords.hash(password));
            s.setTimestamp(4, Timestamp.from(clock.instant()));
            s.setString(5, createdBy);
            if (s.executeUpdate() == 0) {
                throw new IllegalArgumentException("there is already a person named " + name);
            }
            return password;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the person: " + e.getMessage(), e);
        }
    }

    /**
     * On a platform with nobody yet, creates the administrator {@code admin} and writes the
     * one-time password to {@code passwordFile} (owner read/write only).
     *
     * @return the password, or empty when there was somebody already
     */
    public Optional<String> ensureAdmin(Path passwordFile) throws IOException {
        if (!list().isEmpty()) {
            return Optional.empty();
        }
        String password;
        try {
            password = create("admin", Role.ADMIN, "platform");
        } catch (IllegalArgumentException raced) {
            return Optional.empty();
        }
        Files.deleteIfExists(passwordFile);
        Files.createFile(
                passwordFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        return Optional.of(password);
    }

    /** Everybody, by name. */
    public List<Listed> list() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT name, role, created_at, created_by, disabled_at FROM"
                                        + " people ORDER BY name");
                ResultSet r = s.executeQuery()) {
            List<Listed> out = new ArrayList<>();
            while (r.next()) {
                Timestamp disabled = r.getTimestamp(5);
                out.add(
                        new Listed(
                                r.getString(1),
                                Role.of(r.getString(2)).orElseThrow(),
                                r.getTimestamp(3).toInstant(),
                                r.getString(4),
                                disabled == null ? null : disabled.toInstant()));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the people: " + e.getMessage(), e);
        }
    }

    /**
     * Disables a person and ends their sessions.
     *
     * @return false when there is nobody of that name, or they were disabled already
     */
    public boolean disable(String name, String by) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s =
                            c.prepareStatement(
                                    "UPDATE people SET disabled_at = ?, disabled_by = ? WHERE"
                                            + " name = ? AND disabled_at IS NULL");
                    PreparedStatement end =
                            c.prepareStatement("DELETE FROM console_sessions WHERE person = ?")) {
                s.setTimestamp(1, Timestamp.from(clock.instant()));
                s.setString(2, by);
                s.setString(3, name);
                boolean changed = s.executeUpdate() == 1;
                end.setString(1, name);
                end.executeUpdate();
                c.commit();
                return changed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot disable the person: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a name and password and opens a session; empty for an unknown or disabled person or a
     * wrong password (which of them is not said).
     */
    public Optional<Session> signIn(String name, String password) {
        if (name == null || password == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String hash;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT password_hash FROM people WHERE name = ? AND disabled_at"
                                        + " IS NULL")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                hash = r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the person: " + e.getMessage(), e);
        }
        // an unknown name costs the same hashing as a known one
        boolean ok =
                Passwords.matches(password, hash != null ? hash : UnknownPerson.HASH)
                        && hash != null;
        if (!ok) {
            return Optional.empty();
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        byte[] csrf = new byte[24];
        RANDOM.nextBytes(csrf);
        Session session =
                new Session(
                        HexFormat.of().formatHex(secret),
                        HexFormat.of().formatHex(csrf),
                        clock.instant().plus(SESSION_LENGTH));
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO console_sessions (session_hash, person, csrf_token,"
                                        + " created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement old =
                        c.prepareStatement("DELETE FROM console_sessions WHERE expires_at < ?")) {
            s.setBytes(1, Passwords.sha256(session.secret()));
            s.setString(2, name);
            s.setString(3, session.csrfToken());
            s.setTimestamp(4, Timestamp.from(clock.instant()));
            s.setTimestamp(5, Timestamp.from(session.expiresAt()));
            s.executeUpdate();
            old.setTimestamp(1, Timestamp.from(clock.instant()));
            old.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the session: " + e.getMessage(), e);
        }
        return Optional.of(session);
    }

    /** The person of a live session, or empty (unknown, expired, or the person disabled). */
    public Optional<Signed> session(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT p.name, p.role, s.csrf_token FROM console_sessions s JOIN"
                                        + " people p ON p.name = s.person WHERE s.session_hash = ?"
                                        + " AND s.expires_at > ? AND p.disabled_at IS NULL")) {
            s.setBytes(1, Passwords.sha256(secret));
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Signed(
                                new Person(r.getString(1), Role.of(r.getString(2)).orElseThrow()),
                                r.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the session: " + e.getMessage(), e);
        }
    }

    /** Ends a session (signing out). */
    public void signOut(String secret) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("DELETE FROM console_sessions WHERE session_hash = ?")) {
            s.setBytes(1, Passwords.sha256(secret));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot end the session: " + e.getMessage(), e);
        }
    }

    /** A hash to check an unknown name's password against; made once, when first needed. */
    private static final class UnknownPerson {
        static final String HASH = Passwords.hash("no such person");
    }
}
