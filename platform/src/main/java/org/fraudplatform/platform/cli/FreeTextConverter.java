package org.fraudplatform.platform.cli;

import org.fraudplatform.schemas.cards.CardNumberDetector;
import picocli.CommandLine;

/**
 * Free text given on the command line (a list entry's note, a release's message, a resolution's
 * note, a merchant's or key's name) that holds a card number ({@link CardNumberDetector}) is
 * refused while the command line is read, before anything is looked up or changed: {@code Invalid
 * value for option '--note': must not contain a card number (…)}, exit code 2. The value is not
 * repeated. Such text goes to Kafka, PostgreSQL and the audit trail as it was written.
 */
final class FreeTextConverter implements CommandLine.ITypeConverter<String> {

    @Override
    public String convert(String value) {
        if (CardNumberDetector.contains(value)) {
            throw new CommandLine.TypeConversionException(CardNumberDetector.REFUSAL);
        }
        return value;
    }
}
