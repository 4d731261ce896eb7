package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;

/**
 * Where option values come from when a flag is absent: the environment ({@code FRAUD_DATA_DIR} for
 * {@code --data-dir}), then the properties file named by {@code FRAUD_CONFIG} ({@code data-dir=…}),
 * then the option's declared default. One mechanism for every command.
 */
final class SettingsSource implements CommandLine.IDefaultValueProvider {

    static final String CONFIG_VARIABLE = "FRAUD_CONFIG";

    private final Map<String, String> environment;
    private final Properties file;

    SettingsSource(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.file = load(environment.get(CONFIG_VARIABLE));
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
            return argSpec.defaultValue();
        }
        String name = option.longestName().replaceFirst("^-+", "");
        String fromEnvironment = environment.get(environmentName(name));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        String fromFile = file.getProperty(name);
        return fromFile != null ? fromFile : option.defaultValue();
    }

    /** {@code data-dir} → {@code FRAUD_DATA_DIR}. */
    static String environmentName(String optionName) {
        return "FRAUD_" + optionName.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static Properties load(String path) {
        Properties properties = new Properties();
        if (path == null || path.isBlank()) {
            return properties;
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CONFIG_VARIABLE + " file " + path, e);
        }
    }
}
