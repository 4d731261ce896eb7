package org.fraudplatform.api.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** People and their console sessions, on a real PostgreSQL. */
class PeopleIT {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private static Database db;
    private static People people;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
        people = new People(db.dataSource(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldSignInWithTheOneTimePasswordAndKnowThePersonAndRoleBySession() {
        String password = people.create("ana", Role.ANALYST, "admin");

        People.Session session = people.signIn("ana", password).orElseThrow();

        assertThat(session.expiresAt()).isEqualTo(T0.plus(People.SESSION_LENGTH));
        assertThat(people.session(session.secret()))
                .hasValueSatisfying(
                        s -> {
                            assertThat(s.person()).isEqualTo(new Person("ana", Role.ANALYST));
                            assertThat(s.csrfToken()).isEqualTo(session.csrfToken());
                        });
        assertThat(password).hasSize(20);
    }

    @Test
    void shouldKeepOnlyASaltedHashOfThePassword() throws Exception {
        String password = people.create("hash.check", Role.DATA_SCIENTIST, "admin");
        String other = people.create("hash.other", Role.DATA_SCIENTIST, "admin");

        try (var c = db.dataSource().getConnection();
                var s =
                        c.prepareStatement(
                                "SELECT name, password_hash FROM people WHERE name LIKE"
                                        + " 'hash.%' ORDER BY name")) {
            var r = s.executeQuery();
            r.next();
            String first = r.getString(2);
            r.next();
            String second = r.getString(2);
            assertThat(first).startsWith("pbkdf2-sha256$600000$").doesNotContain(password);
            assertThat(second).doesNotContain(other);
            assertThat(first.split("\\$")[2])
                    .as("each hash has its own salt")
                    .isNotEqualTo(second.split("\\$")[2]);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordAnUnknownPersonAndAMalformedName() {
        people.create("bob", Role.ANALYST, "admin");

        assertThat(people.signIn("bob", "not-the-password")).isEmpty();
        assertThat(people.signIn("nobody", "whatever")).isEmpty();
        assertThat(people.signIn("Robert'); DROP TABLE people;--", "x")).isEmpty();
        assertThat(people.session("not-a-session")).isEmpty();
    }

    @Test
    void shouldRefuseANameThatIsTakenOrMalformed() {
        people.create("carla", Role.ADMIN, "admin");

        assertThatThrownBy(() -> people.create("carla", Role.ANALYST, "admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already");
        assertThatThrownBy(() -> people.create("Carla Smith", Role.ANALYST, "admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case");
    }

    @Test
    void shouldEndEverySessionOfADisabledPersonAndRefuseTheirSignIn() {
        String password = people.create("dan", Role.ANALYST, "admin");
        People.Session session = people.signIn("dan", password).orElseThrow();

        assertThat(people.disable("dan", "carla")).isTrue();

        assertThat(people.session(session.secret())).isEmpty();
        assertThat(people.signIn("dan", password)).isEmpty();
        assertThat(people.disable("dan", "carla")).as("only once").isFalse();
        assertThat(people.list())
                .filteredOn(p -> p.name().equals("dan"))
                .singleElement()
                .satisfies(p -> assertThat(p.disabledAt()).isEqualTo(T0));
    }

    @Test
    void shouldForgetASessionOnSignOutAndAfterItExpires() {
        String password = people.create("eve", Role.ANALYST, "admin");
        People.Session out = people.signIn("eve", password).orElseThrow();
        People.Session kept = people.signIn("eve", password).orElseThrow();

        people.signOut(out.secret());

        assertThat(people.session(out.secret())).isEmpty();
        assertThat(people.session(kept.secret())).isPresent();
        People later =
                new People(
                        db.dataSource(),
                        Clock.fixed(
                                T0.plus(People.SESSION_LENGTH).plus(Duration.ofSeconds(1)),
                                ZoneOffset.UTC));
        assertThat(later.session(kept.secret())).as("expired").isEmpty();
    }

    @Test
    void shouldKnowThePersonByTheirTokenAndKeepOnlyItsHash() throws Exception {
        people.create("tess", Role.DATA_SCIENTIST, "admin");

        People.IssuedToken issued = people.issueToken("tess", Duration.ofDays(30), "person:admin");

        assertThat(issued.token()).startsWith("fpt_").hasSize(4 + 64);
        assertThat(issued.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(people.personForToken(issued.token()))
                .contains(new Person("tess", Role.DATA_SCIENTIST));
        assertThat(people.personForToken(issued.token() + "0")).as("another token").isEmpty();
        assertThat(people.personForToken("")).isEmpty();
        try (var c = db.dataSource().getConnection();
                var s =
                        c.prepareStatement(
                                "SELECT token_id, encode(token_hash, 'hex') FROM person_tokens"
                                        + " WHERE person = 'tess'")) {
            var r = s.executeQuery();
            r.next();
            assertThat(r.getString(1)).isEqualTo(issued.tokenId()).startsWith("pt_");
            assertThat(issued.token()).doesNotContain(r.getString(1).substring(3));
            assertThat(r.getString(2)).doesNotContain(issued.token().substring(4));
        }
    }

    @Test
    void shouldEndATokenAtItsExpiryWhenRevokedAndWhenItsPersonIsDisabled() {
        people.create("tom", Role.ANALYST, "admin");
        String expiring = people.issueToken("tom", Duration.ofHours(1), "person:admin").token();
        People.IssuedToken revoked = people.issueToken("tom", Duration.ofDays(1), "person:admin");
        String kept = people.issueToken("tom", Duration.ofDays(1), "person:admin").token();

        assertThat(people.revokeToken(revoked.tokenId(), "person:admin")).contains("tom");
        assertThat(people.revokeToken(revoked.tokenId(), "person:admin"))
                .as("revoked already")
                .isEmpty();

        People later =
                new People(
                        db.dataSource(), Clock.fixed(T0.plus(Duration.ofHours(2)), ZoneOffset.UTC));
        assertThat(later.personForToken(expiring)).as("expired").isEmpty();
        assertThat(later.personForToken(revoked.token())).as("revoked").isEmpty();
        assertThat(later.personForToken(kept)).as("live").isPresent();

        people.disable("tom", "person:admin");

        assertThat(later.personForToken(kept)).as("person disabled").isEmpty();
        assertThat(people.tokens("tom"))
                .allSatisfy(t -> assertThat(t.revokedAt()).as(t.tokenId()).isNotNull());
        assertThatThrownBy(() -> people.issueToken("tom", Duration.ofDays(1), "person:admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no active person named tom");
    }

    @Test
    void shouldCreateTheAdministratorOnlyOnAPlatformWithNobodyAndKeepThePasswordOwnerOnly(
            @TempDir Path dir) throws Exception {
        Database fresh = TestDatabase.fresh();
        try {
            People none = new People(fresh.dataSource(), Clock.fixed(T0, ZoneOffset.UTC));
            Path file = dir.resolve("admin-password");
            Path tokenFile = dir.resolve("admin-token");

            String password = none.ensureAdmin(file, tokenFile).orElseThrow();

            assertThat(Files.readString(file).trim()).isEqualTo(password);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                    .isEqualTo("rw-------");
            assertThat(none.personForToken(Files.readString(tokenFile).trim()))
                    .as("the token in the file is the administrator's")
                    .contains(new Person("admin", Role.ADMIN));
            assertThat(none.signIn("admin", password))
                    .isPresent()
                    .hasValueSatisfying(
                            s ->
                                    assertThat(none.session(s.secret()).orElseThrow().person())
                                            .isEqualTo(new Person("admin", Role.ADMIN)));
            assertThat(none.ensureAdmin(file, tokenFile)).as("somebody exists now").isEmpty();
        } finally {
            fresh.close();
        }
    }
}
