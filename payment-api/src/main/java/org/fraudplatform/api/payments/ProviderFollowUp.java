package org.fraudplatform.api.payments;

import org.fraudplatform.schemas.PaymentCommand;
import org.fraudplatform.schemas.PaymentSnapshot;

/** Placeholder until the provider connector grows follow-up calls. */
public final class ProviderFollowUp {
    void accepted(PaymentCommand command, PaymentSnapshot after) {}
}
