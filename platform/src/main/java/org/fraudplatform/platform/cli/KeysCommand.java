package org.fraudplatform.platform.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.fraudplatform.api.keys.ApiKey;
import org.fraudplatform.api.keys.ApiKeys;
import org.fraudplatform.api.keys.Scope;
import org.fraudplatform.api.merchants.MerchantAdmin;
import org.fraudplatform.api.people.Permission;
import org.fraudplatform.database.Database;
import org.fraudplatform.runtime.AuditLog;
import org.fraudplatform.runtime.KafkaConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fraud keys}: merchants' API keys: create, list, revoke, rotate. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = {
            "Merchants' API keys in the running platform's PostgreSQL. A key's secret is shown"
                    + " once, when it is made; only its hash is kept. Revocation and expiry take"
                    + " effect on every API instance within 5 seconds. Every change is written"
                    + " to audit.events with who made it."
        },
        subcommands = {
            KeysCommand.Create.class,
            KeysCommand.ListKeys.class,
            KeysCommand.Revoke.class,
            KeysCommand.Rotate.class,
            CommandLine.HelpCommand.class
        })
public final class KeysCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The database and, for changes, the audit trail, open for one command. */
    static final class Session implements AutoCloseable {
        private final Database database;
        private final AuditLog audit;
        private final MerchantAdmin admin;

        private Session(Database database, AuditLog audit, MerchantAdmin admin) {
            this.database = database;
            this.audit = audit;
            this.admin = admin;
        }

        /** For a change: the broker must answer first, so that no change goes unaudited. */
        static Session open(DatabaseOptions db, KafkaOptions kafka) {
            requireBroker(kafka.connection());
            Database database = db.connect();
            try {
                AuditLog audit = new AuditLog(kafka.connection(), kafka.topics().audit());
                MerchantAdmin admin =
                        new MerchantAdmin(
                                database.dataSource(),
                                new ApiKeys(database.dataSource()),
                                (actor, action, subject, details) ->
                                        audit.record(
                                                actor, action, subject, Instant.now(), details),
                                "fraud CLI on " + host());
                return new Session(database, audit, admin);
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
        }

        /** For reading only: no broker needed. */
        static Session readOnly(DatabaseOptions db) {
            Database database = db.connect();
            return new Session(
                    database,
                    null,
                    new MerchantAdmin(
                            database.dataSource(),
                            new ApiKeys(database.dataSource()),
                            (actor, action, subject, details) -> {
                                throw new IllegalStateException("read only");
                            },
                            "fraud CLI on " + host()));
        }

        MerchantAdmin admin() {
            return admin;
        }

        @Override
        public void close() {
            if (audit != null) {
                audit.close();
            }
            database.close();
        }
    }

    static void requireBroker(KafkaConnection kafka) {
        Map<String, Object> config = kafka.map();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                    .clusterId()
                    .get(6, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalArgumentException(
                    "cannot reach Kafka at "
                            + kafka
                            + ", where every change is audited (is 'fraud run' running? give"
                            + " --bootstrap-servers); nothing was changed");
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown host";
        }
    }

    static void printIssued(PrintWriter out, ApiKeys.Issued issued) {
        ApiKey k = issued.key();
        out.printf(
                "API key %s: %s; %s; %s%n",
                k.keyId(),
                Scope.names(k.scopes()),
                limit(k),
                k.expiresAt() == null ? "no expiry" : "expires " + k.expiresAt());
        out.printf("Secret (shown this once; store it now): %s%n", issued.secret());
    }

    private static String limit(ApiKey k) {
        return k.rateLimit() == null ? "no rate limit" : k.rateLimit() + " requests/s";
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Makes a key for a merchant and prints its secret, this once.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--merchant", required = true, description = "The merchant's id.")
        String merchant;

        @CommandLine.Mixin KeyOptions key = new KeyOptions();

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ApiKeys.NewKey newKey = key.newKey();
            try (Session session = Session.open(database, kafka)) {
                PrintWriter out = spec.commandLine().getOut();
                printIssued(
                        out,
                        session.admin()
                                .createKey(
                                        merchant,
                                        newKey,
                                        person.who(database, Permission.MERCHANTS)));
                out.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "A merchant's keys: id, prefix, name, scopes, limit, expiry, state. Never a"
                            + " secret.")
    static final class ListKeys implements Callable<Integer> {
        @Option(names = "--merchant", required = true, description = "The merchant's id.")
        String merchant;

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<ApiKey> keys;
            try (Session session = Session.readOnly(database)) {
                keys = session.admin().keys(merchant);
            }
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            out.printf(
                    "%-24s %-12s %-12s %-72s %-10s %-28s %s%n",
                    "KEY", "PREFIX", "NAME", "SCOPES", "LIMIT", "EXPIRES", "STATE");
            for (ApiKey k : keys) {
                String state =
                        k.revokedAt() != null
                                ? "revoked " + k.revokedAt()
                                : k.activeAt(now) ? "active" : "expired";
                out.printf(
                        "%-24s %-12s %-12s %-72s %-10s %-28s %s%n",
                        k.keyId(),
                        k.prefix(),
                        k.name() == null ? "-" : k.name(),
                        Scope.names(k.scopes()),
                        k.rateLimit() == null ? "none" : k.rateLimit() + "/s",
                        k.expiresAt() == null ? "never" : k.expiresAt().toString(),
                        state);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes a key: every API instance answers it 401 within 5 seconds.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id (key_…).")
        String keyId;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Session session = Session.open(database, kafka)) {
                ApiKey k =
                        session.admin().revoke(keyId, person.who(database, Permission.MERCHANTS));
                PrintWriter out = spec.commandLine().getOut();
                out.printf(
                        "%s of merchant %s revoked at %s; every API instance refuses it within 5"
                                + " s%n",
                        k.keyId(), k.merchantId(), k.revokedAt());
                out.flush();
            }
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description =
                    "Gives each of a merchant's active keys a successor with the same scopes,"
                            + " limit, name and lifetime, prints the new secrets (this once), and"
                            + " lets the old keys work for the overlap only.")
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--merchant", required = true, description = "The merchant's id.")
        String merchant;

        @Option(
                names = "--old-expires-in",
                defaultValue = "24h",
                converter = DurationConverter.class,
                description =
                        "How long the old keys keep working, for clients to switch. Default:"
                                + " ${DEFAULT-VALUE}")
        Duration oldExpiresIn;

        @CommandLine.Mixin PersonOption person = new PersonOption();

        @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @CommandLine.Mixin KafkaOptions kafka = new KafkaOptions();

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Session session = Session.open(database, kafka)) {
                PrintWriter out = spec.commandLine().getOut();
                for (ApiKeys.Rotation r :
                        session.admin()
                                .rotate(
                                        merchant,
                                        oldExpiresIn,
                                        person.who(database, Permission.MERCHANTS))) {
                    out.printf(
                            "%s expires %s; its successor:%n",
                            r.old().keyId(), r.old().expiresAt());
                    printIssued(out, r.successor());
                }
                out.flush();
            }
            return 0;
        }
    }
}
