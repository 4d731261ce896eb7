package org.fraudplatform.platform.cli;

import java.time.Clock;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.api.people.Person;
import org.fraudplatform.database.Database;
import picocli.CommandLine.Option;

/**
 * Who makes a change: a person of the platform, by their token. The change is audited under the
 * person's name ({@code person:<name>}), and made only when the person's role grants it.
 */
final class PersonOption {

    @Option(
            names = "--token",
            description =
                    "Your person token (default: $FRAUD_TOKEN): the change is made in your name"
                            + " and only if your role allows it. An administrator issues one with"
                            + " 'fraud users token NAME'; the first administrator's is in"
                            + " <data-dir>/admin-token.")
    String token;

    /**
     * The person the token belongs to, checked against the platform's people.
     *
     * @throws IllegalArgumentException without a token, for a token that is not a live person's, or
     *     when the person's role does not grant {@code permission}
     */
    Person require(DatabaseOptions database, Permission permission) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(
                    "this command changes the platform and needs your person token: --token or"
                            + " FRAUD_TOKEN (an administrator issues one with 'fraud users token"
                            + " NAME'; the first administrator's is in <data-dir>/admin-token)");
        }
        Person person;
        try (Database db = database.connect()) {
            person =
                    new People(db.dataSource(), Clock.systemUTC())
                            .personForToken(token.trim())
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "the token is not a live person's token"
                                                            + " (unknown, expired or revoked, or"
                                                            + " its person disabled)"));
        }
        if (!person.may(permission)) {
            throw new IllegalArgumentException(
                    person.name()
                            + " ("
                            + person.role().label()
                            + ") may not "
                            + permission.words());
        }
        return person;
    }

    /** {@link #require}'s person as the audit trail names them: {@code person:<name>}. */
    String who(DatabaseOptions database, Permission permission) {
        return require(database, permission).auditName();
    }
}
