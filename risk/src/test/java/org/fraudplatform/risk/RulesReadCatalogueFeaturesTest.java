package org.fraudplatform.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.rules.cases.FeatureReferences;
import org.fraudplatform.rules.cases.RuleCaseFiles;
import org.fraudplatform.rules.engine.RulesetSource;
import org.junit.jupiter.api.Test;

/**
 * The starter rules and their cases read features by the catalogue's names (and the model score),
 * and only those.
 */
class RulesReadCatalogueFeaturesTest {

    private final Set<String> catalogue = RuleInputs.of(FeatureCatalogue.standard());

    @Test
    void shouldReadOnlyFeaturesTheCatalogueComputesInThePackagedRules() {
        assertThat(FeatureReferences.unknown(RulesetSource.packaged(), catalogue)).isEmpty();
    }

    @Test
    void shouldNameOnlyCatalogueFeaturesInTheRuleCases() throws Exception {
        RuleCaseFiles files = RuleCaseFiles.read(Path.of("..", "rules", "ruleset"), catalogue);

        assertThat(files.problems()).isEmpty();
        assertThat(files.cases()).isNotEmpty();
    }
}
