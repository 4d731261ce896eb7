package org.fraudplatform.risk.releases;

import java.util.List;
import java.util.Objects;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.RiskScorer;
import org.fraudplatform.risk.RiskTopology;
import org.fraudplatform.risk.RulesetUpdater;
import org.fraudplatform.risk.SwappableRiskScorer;
import org.fraudplatform.risk.models.LiveModels;
import org.fraudplatform.risk.models.ModelRiskScorer;
import org.fraudplatform.risk.models.ModelUpdater;
import org.fraudplatform.risk.signing.RefusalCounts;
import org.fraudplatform.risk.signing.TrustedKeys;
import org.fraudplatform.rules.engine.CompiledRuleset;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.fraudplatform.schemas.topics.Topics;

/**
 * What a scoring instance decides with, kept live by two global stores of the risk topology ({@link
 * #stores}): the ruleset deployed last ({@code rules.rulesets}, {@link RulesetUpdater}) and the
 * registry's champion and shadow ({@code models}, {@link ModelUpdater}), each taken up only when
 * one of the trusted keys signed it as it is. A payment is scored with what is live when its
 * scoring starts, so a swap lands between two payments. The releases refused since the start are
 * counted by kind and reason.
 */
public final class LiveReleases {

    private final SwappableRiskScorer rules;
    private final LiveModels models = new LiveModels();
    private final RiskScorer scorer;
    private final FeatureCatalogue catalogue;
    private final TrustedKeys trusted;
    private final RefusalCounts rulesetRefusals = new RefusalCounts();
    private final RefusalCounts modelRefusals = new RefusalCounts();

    /**
     * @param initial the ruleset that decides until a release is taken up (the packaged one)
     * @param rates converts each payment's amount into the reference currency
     * @param catalogue the features this instance computes: a model that needs others is refused
     * @param trusted the keys whose signatures this instance accepts
     */
    public LiveReleases(
            CompiledRuleset initial,
            CurrencyRates rates,
            FeatureCatalogue catalogue,
            TrustedKeys trusted) {
        this.rules = new SwappableRiskScorer(initial, rates);
        this.scorer = new ModelRiskScorer(rules, models, rates);
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /** Rules and models together, as live now: what the topology decides with. */
    public RiskScorer scorer() {
        return scorer;
    }

    /**
     * The risk topology's global stores that keep these live: {@link RiskTopology#RULESETS_STORE}
     * from {@code rules.rulesets} and {@link RiskTopology#MODELS_STORE} from {@code models}.
     */
    public List<RiskTopology.ReleaseStore> stores(Topics topics) {
        var rulesets = topics.rulesets();
        var registry = topics.models();
        return List.of(
                new RiskTopology.ReleaseStore(
                        RiskTopology.RULESETS_STORE,
                        rulesets.name(),
                        RulesetUpdater.supplier(
                                rulesets.valueSerde().deserializer(),
                                rules,
                                trusted,
                                rulesetRefusals)),
                new RiskTopology.ReleaseStore(
                        RiskTopology.MODELS_STORE,
                        registry.name(),
                        ModelUpdater.supplier(
                                RiskTopology.MODELS_STORE,
                                registry.valueSerde().deserializer(),
                                catalogue,
                                models,
                                trusted,
                                modelRefusals)));
    }

    /** The version of the live ruleset. */
    public String rulesetVersion() {
        return rules.rulesetVersion();
    }

    /** The champion and shadow scoring now (either may be null). */
    public LiveModels.Pair models() {
        return models.get();
    }

    /** The ruleset releases refused since the start, by reason. */
    public RefusalCounts rulesetRefusals() {
        return rulesetRefusals;
    }

    /** The registry records refused (or models not loaded) since the start, by reason. */
    public RefusalCounts modelRefusals() {
        return modelRefusals;
    }
}
