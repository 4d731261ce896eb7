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
 * The people who work in the platform ({@code V13__people}), their console sessions and their
 * tokens ({@code V15__person_tokens_and_audit}). A person is created with a role and a one-time
 * password for the console, shown once; the platform keeps only its hash. A person's token
 * authenticates them on the command line and on the HTTP operator routes; it too is shown once and
 * kept as a hash. A disabled person can neither sign in nor use a session or token made before.
 */
public final class People {

    /** How long a console session lasts after sign-in. */
    public static final Duration SESSION_LENGTH = Duration.ofHours(8);

    /** How long a token lasts unless its issuer says otherwise. */
    public static final Duration TOKEN_VALIDITY = Duration.ofDays(90);

    /** How long the first administrator's token, written to the data folder, lasts. */
    public static final Duration FIRST_ADMIN_TOKEN_VALIDITY = Duration.ofDays(365);

    private static final String TOKEN_PREFIX = "fpt_";
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

    /** A token just issued: the secret itself, shown this once, and its public id. */
    public record IssuedToken(String tokenId, String person, String token, Instant expiresAt) {}

    /** A token as listed: never the secret. */
    public record Token(
            String tokenId,
            String person,
            Instant createdAt,
            String createdBy,
            Instant expiresAt,
            Instant revokedAt) {}

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
     * On a platform with nobody yet, creates the administrator {@code admin}, writes the one-time
     * password to {@code passwordFile} and a token ({@link #FIRST_ADMIN_TOKEN_VALIDITY}) to {@code
     * tokenFile}, both owner read/write only.
     *
     * @return the password, or empty when there was somebody already
     */
    public Optional<String> ensureAdmin(Path passwordFile, Path tokenFile) throws IOException {
        if (!list().isEmpty()) {
            return Optional.empty();
        }
        String password;
        try {
            password = create("admin", Role.ADMIN, "platform");
        } catch (IllegalArgumentException raced) {
            return Optional.empty();
        }
        writeSecret(passwordFile, password);
        writeSecret(tokenFile, issueToken("admin", FIRST_ADMIN_TOKEN_VALIDITY, "platform").token());
        return Optional.of(password);
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Issues a token for an active person; the token is in the result and nowhere else.
     *
     * @throws IllegalArgumentException for nobody of that name, a disabled person, or a validity
     *     that is not positive
     */
    public IssuedToken issueToken(String name, Duration validity, String by) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("a token's validity must be positive: " + validity);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = TOKEN_PREFIX + HexFormat.of().formatHex(secret);
        byte[] hash = Passwords.sha256(token);
        String tokenId = "pt_" + HexFormat.of().formatHex(hash, 0, 6);
        Instant now = clock.instant();
        Instant expires = now.plus(validity);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "INSERT INTO person_tokens (token_hash, token_id, person,"
                                        + " created_at, created_by, expires_at) SELECT ?, ?, name,"
                                        + " ?, ?, ? FROM people WHERE name = ? AND disabled_at IS"
                                        + " NULL")) {
            s.setBytes(1, hash);
            s.setString(2, tokenId);
            s.setTimestamp(3, Timestamp.from(now));
            s.setString(4, by);
            s.setTimestamp(5, Timestamp.from(expires));
            s.setString(6, name);
            if (s.executeUpdate() == 0) {
                throw new IllegalArgumentException("no active person named " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot issue the token: " + e.getMessage(), e);
        }
        return new IssuedToken(tokenId, name, token, expires);
    }

    /**
     * The person a token belongs to, or empty: an unknown, expired or revoked token, or a disabled
     * person (which of them is not said).
     */
    public Optional<Person> personForToken(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "SELECT p.name, p.role FROM person_tokens t JOIN people p ON"
                                        + " p.name = t.person WHERE t.token_hash = ? AND"
                                        + " t.expires_at > ? AND t.revoked_at IS NULL AND"
                                        + " p.disabled_at IS NULL")) {
            s.setBytes(1, Passwords.sha256(token));
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet r = s.executeQuery()) {
                return r.next()
                        ? Optional.of(
                                new Person(r.getString(1), Role.of(r.getString(2)).orElseThrow()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the token: " + e.getMessage(), e);
        }
    }

    /** A person's tokens, newest first; null for everybody's. */
    public List<Token> tokens(String name) {
        String sql =
                "SELECT token_id, person, created_at, created_by, expires_at, revoked_at FROM"
                        + " person_tokens"
                        + (name == null ? "" : " WHERE person = ?")
                        + " ORDER BY created_at DESC, token_id";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (name != null) {
                s.setString(1, name);
            }
            List<Token> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Timestamp revoked = r.getTimestamp(6);
                    out.add(
                            new Token(
                                    r.getString(1),
                                    r.getString(2),
                                    r.getTimestamp(3).toInstant(),
                                    r.getString(4),
                                    r.getTimestamp(5).toInstant(),
                                    revoked == null ? null : revoked.toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tokens: " + e.getMessage(), e);
        }
    }

    /**
     * Revokes a token by its id.
     *
     * @return the person it belonged to, or empty when no live token has that id
     */
    public Optional<String> revokeToken(String tokenId, String by) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                "UPDATE person_tokens SET revoked_at = ?, revoked_by = ? WHERE"
                                        + " token_id = ? AND revoked_at IS NULL RETURNING"
                                        + " person")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, by);
            s.setString(3, tokenId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot revoke the token: " + e.getMessage(), e);
        }
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
     * Disables a person, ends their sessions and revokes their tokens.
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
                            c.prepareStatement("DELETE FROM console_sessions WHERE person = ?");
                    PreparedStatement revoke =
                            c.prepareStatement(
                                    "UPDATE person_tokens SET revoked_at = ?, revoked_by = ?"
                                            + " WHERE person = ? AND revoked_at IS NULL")) {
                s.setTimestamp(1, Timestamp.from(clock.instant()));
                s.setString(2, by);
                s.setString(3, name);
                boolean changed = s.executeUpdate() == 1;
                end.setString(1, name);
                end.executeUpdate();
                revoke.setTimestamp(1, Timestamp.from(clock.instant()));
                revoke.setString(2, by);
                revoke.setString(3, name);
                revoke.executeUpdate();
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
