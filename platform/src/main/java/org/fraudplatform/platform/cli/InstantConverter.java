package org.fraudplatform.platform.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Reads a point in time as a plain date ({@code 2018-08-01}: the start of that day, UTC) or as an
 * instant ({@code 2018-08-01T06:30:00Z}, or with an offset, {@code 2018-08-01T08:30:00+02:00}).
 * Every option that takes a time uses it, so a date works wherever a time does.
 */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {

    /** The sentence each such option's help ends with. */
    static final String FORMS =
            "A date (2018-08-01: the start of that day, UTC) or an instant (2018-08-01T06:30:00Z).";

    @Override
    public Instant convert(String value) {
        String v = value.trim();
        try {
            if (v.indexOf('T') < 0 && v.indexOf('t') < 0) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(v.toUpperCase(java.util.Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException(
                    "'"
                            + value
                            + "' is neither a date nor an instant (examples: 2018-08-01,"
                            + " 2018-08-01T06:30:00Z)");
        }
    }
}
