package org.fraudplatform.platform;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.fraudplatform.api.people.People;
import org.fraudplatform.api.people.Role;
import org.fraudplatform.database.Database;

/** People of a running test platform, and the options a command needs to find its database. */
public final class TestPeople {

    private TestPeople() {}

    /** A new token of the person {@code name}, who is created with {@code role} if missing. */
    public static String tokenFor(Platform platform, String name, Role role) {
        var address = platform.databaseAddress();
        try (Database db =
                Database.connect(address.jdbcUrl(), address.user(), address.password(), 2)) {
            People people = new People(db.dataSource(), Clock.systemUTC());
            if (people.list().stream().noneMatch(p -> p.name().equals(name))) {
                people.create(name, role, "test");
            }
            return people.issueToken(name, Duration.ofDays(1), "test").token();
        }
    }

    /** The one-time password of a new person {@code name} with {@code role}, to sign in with. */
    public static String passwordFor(Platform platform, String name, Role role) {
        var address = platform.databaseAddress();
        try (Database db =
                Database.connect(address.jdbcUrl(), address.user(), address.password(), 2)) {
            return new People(db.dataSource(), Clock.systemUTC()).create(name, role, "test");
        }
    }

    /** {@code --database-url …, --database-user …, --database-password …} of the platform. */
    public static List<String> databaseOptions(Platform platform) {
        var db = platform.databaseAddress();
        return List.of(
                "--database-url", db.jdbcUrl(),
                "--database-user", db.user(),
                "--database-password", db.password());
    }
}
