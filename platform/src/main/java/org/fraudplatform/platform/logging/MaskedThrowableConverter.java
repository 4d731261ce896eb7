package org.fraudplatform.platform.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.fraudplatform.schemas.cards.CardNumberDetector;

/**
 * {@code %maskedEx}: the stack trace with every card number masked in every message of the chain of
 * causes ({@link CardNumberDetector}).
 */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return CardNumberDetector.mask(super.convert(event));
    }
}
