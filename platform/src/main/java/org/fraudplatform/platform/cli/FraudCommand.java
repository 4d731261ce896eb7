package org.fraudplatform.platform.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fraud} command: every operation of the platform. */
@Command(
        name = "fraud",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Real-time fraud detection and payments.",
            "",
            "Every option can also be set in the environment (FRAUD_<OPTION>, e.g."
                    + " FRAUD_DATA_DIR) or in a properties file named by FRAUD_CONFIG"
                    + " (key = option name without dashes, e.g. data-dir=/var/lib/fraud);"
                    + " a flag wins over the environment, which wins over the file."
        },
        subcommands = {
            RunCommand.class,
            BenchCommand.class,
            FeaturesCommand.class,
            RulesCommand.class,
            ListsCommand.class,
            MerchantsCommand.class,
            KeysCommand.class,
            UsersCommand.class,
            PolicyCommand.class,
            SimulateCommand.class,
            ModelsCommand.class,
            ReconcileCommand.class,
            DeadLettersCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FraudCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line, with defaults from this process's environment. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** Builds the command line with defaults from the given environment (FRAUD_* variables). */
    public static CommandLine commandLine(java.util.Map<String, String> environment) {
        CommandLine cli = new CommandLine(new FraudCommand());
        cli.setDefaultValueProvider(new SettingsSource(environment));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // a plain date wherever a time is asked for (options name the converter as well)
        cli.registerConverter(java.time.Instant.class, new InstantConverter());
        cli.setUsageHelpAutoWidth(true);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof IllegalArgumentException) {
                        commandLine.getErr().println("fraud: " + e.getMessage());
                        return 2;
                    }
                    commandLine.getErr().println("fraud: " + e);
                    e.printStackTrace(commandLine.getErr());
                    return 1;
                });
        return cli;
    }

    public static void main(String[] args) {
        // before any HTTP server of the JVM starts: the JDK reads these once
        org.fraudplatform.api.http.ApiServer.configureJdkServer();
        int exit = commandLine().execute(args);
        if (exit != 0 || !RunCommand.keepsRunning()) {
            System.exit(exit);
        }
    }
}
