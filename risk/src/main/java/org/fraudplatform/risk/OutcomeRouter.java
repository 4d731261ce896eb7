package org.fraudplatform.risk;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fraudplatform.features.FeatureInputs;
import org.fraudplatform.features.FeatureOutcome;
import org.fraudplatform.schemas.FeatureUpdate;
import org.fraudplatform.schemas.PaymentEvent;

/**
 * Routes what the ledger learns about payments to the entities whose features count it.
 *
 * <p>Input: {@link PaymentEvent}s from {@code payments.events}, keyed by payment id. Output: a
 * {@link FeatureUpdate} for each decline (to the card) and each fraud chargeback (to the merchant),
 * keyed {@code <entity>:<key>}; every other event teaches the features nothing and passes by.
 */
final class OutcomeRouter implements Processor<String, PaymentEvent, String, FeatureUpdate> {

    private ProcessorContext<String, FeatureUpdate> context;

    @Override
    public void init(ProcessorContext<String, FeatureUpdate> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, PaymentEvent> record) {
        FeatureInputs.outcome(record.value())
                .ifPresent(
                        (FeatureOutcome outcome) ->
                                context.forward(
                                        record.withKey(
                                                        outcome.entity()
                                                                .stateKey(outcome.entityKey()))
                                                .withValue(FeatureInputs.update(outcome))));
    }
}
