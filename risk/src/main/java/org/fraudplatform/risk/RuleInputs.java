package org.fraudplatform.risk;

import java.util.LinkedHashSet;
import java.util.Set;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.risk.models.ModelRiskScorer;

/** What rules may read by name: the catalogue's features and the champion model's score. */
public final class RuleInputs {

    private RuleInputs() {}

    public static Set<String> of(FeatureCatalogue catalogue) {
        Set<String> names = new LinkedHashSet<>(catalogue.names());
        names.add(ModelRiskScorer.MODEL_SCORE);
        return Set.copyOf(names);
    }
}
