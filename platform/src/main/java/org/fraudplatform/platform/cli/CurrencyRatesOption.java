package org.fraudplatform.platform.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fraudplatform.schemas.money.CurrencyRates;
import picocli.CommandLine.Option;

/**
 * The currency rate table that converts amounts into the reference currency. The risk topology and
 * the backfill must be given the same table, or their amount features differ.
 */
final class CurrencyRatesOption {

    @Option(
            names = "--currency-rates",
            paramLabel = "FILE",
            description =
                    "Currency rate table ('reference = EUR', then one 'CODE = rate' a line: one"
                            + " unit of CODE in the reference currency). Default: the packaged"
                            + " table (EUR, indicative rates).")
    Path file;

    /**
     * The table of {@code --currency-rates}, else the packaged one.
     *
     * @throws IllegalArgumentException naming the option when the file is missing or invalid
     */
    CurrencyRates rates() {
        if (file == null) {
            return CurrencyRates.packaged();
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--currency-rates: no such file: " + file);
        }
        try {
            return CurrencyRates.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--currency-rates: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("--currency-rates: cannot read " + file, e);
        }
    }
}
