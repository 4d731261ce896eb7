package org.fraudplatform.risk.releases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.TestInstants.T0;

import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.RiskSettings;
import org.fraudplatform.risk.RiskTopology;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.rules.engine.RuleEngine;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.serde.InMemorySchemaRegistry;
import org.fraudplatform.schemas.topics.Topic;
import org.fraudplatform.schemas.topics.Topics;

/**
 * The risk topology on a {@code TopologyTestDriver}, deciding with {@link LiveReleases} that start
 * on the packaged ruleset and no model: releases are piped into their topics, payments into {@code
 * payments.requests}, and each decision is read back.
 */
public final class LiveReleasesDriver implements AutoCloseable {

    private static CompiledRuleset packaged;

    private final Topics topics = Topics.create(InMemorySchemaRegistry.inMemory(), 1);
    private final LiveReleases releases;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, PaymentRequest> requests;
    private final TestOutputTopic<String, RiskDecision> decisions;

    /**
     * @param catalogue the features the instance computes
     * @param trusted the keys whose releases it takes up
     */
    public LiveReleasesDriver(FeatureCatalogue catalogue, TrustedKeys trusted) {
        releases = new LiveReleases(packaged(), CurrencyRates.packaged(), catalogue, trusted);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "risk-releases-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver =
                new TopologyTestDriver(
                        RiskTopology.build(
                                RiskSettings.DEFAULTS,
                                topics,
                                releases.scorer(),
                                releases.stores(topics),
                                1),
                        props,
                        T0);
        requests = input(topics.paymentRequests());
        var dec = topics.paymentDecisions();
        decisions =
                driver.createOutputTopic(
                        dec.name(), dec.keySerde().deserializer(), dec.valueSerde().deserializer());
    }

    /** The packaged ruleset, compiled once for every test of the JVM. */
    private static synchronized CompiledRuleset packaged() {
        if (packaged == null) {
            packaged = RuleEngine.compile(RulesetSource.packaged());
        }
        return packaged;
    }

    public Topics topics() {
        return topics;
    }

    public LiveReleases releases() {
        return releases;
    }

    /** A topic to pipe records into, with its own serdes. */
    public <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** A topic to pipe raw bytes into, as a producer that ignores its serde would. */
    public TestInputTopic<String, byte[]> rawInput(Topic<String, ?> topic) {
        return driver.createInputTopic(
                topic.name(), topic.keySerde().serializer(), Serdes.ByteArray().serializer());
    }

    public KeyValueStore<String, byte[]> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** Pipes the payment and returns its decision, the only record it made. */
    public RiskDecision decide(PaymentRequest payment) {
        requests.pipeInput("ignored-key", payment, payment.getEventTime());
        RiskDecision decision = decisions.readValue();
        assertThat(decisions.isEmpty()).as("and nothing else was emitted").isTrue();
        return decision;
    }

    @Override
    public void close() {
        driver.close();
    }
}
