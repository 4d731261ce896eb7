package org.fraudplatform.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeatureCatalogueTest {

    private final FeatureCatalogue catalogue = FeatureCatalogue.standard();

    @Test
    void shouldNameTheFeaturesTheHandbookProtocolAndTheRulesUse() {
        assertThat(catalogue.names())
                .contains(
                        "card_count_10m",
                        "card_sum_amount_1d",
                        "card_seconds_since_first_seen",
                        "card_amount_ratio_1d",
                        "card_amount_ratio_7d",
                        "card_amount_ratio_30d",
                        "card_amount_ratio_30d_lag14d",
                        "card_amount_zscore_30d_lag14d",
                        "card_count_1d",
                        "card_count_7d",
                        "card_count_30d",
                        "card_avg_amount_1d",
                        "card_avg_amount_7d",
                        "card_avg_amount_30d",
                        "merchant_count_1d_lag7d",
                        "merchant_count_7d_lag7d",
                        "merchant_count_30d_lag7d",
                        "merchant_fraud_rate_1d_lag7d",
                        "merchant_fraud_rate_7d_lag7d",
                        "merchant_fraud_rate_30d_lag7d",
                        "ip_distinct_cards_1d",
                        "card_declines_1h",
                        "during_weekend",
                        "during_night");
        assertThat(catalogue.names()).doesNotHaveDuplicates();
    }

    @Test
    void shouldKeepEachEntitysStateForItsLongestLookbackPlusTheGrace() {
        Duration grace = catalogue.grace();

        assertThat(catalogue.retention(Entity.CARD))
                .as("the amount against the 30 days before the last 14")
                .isEqualTo(Duration.ofDays(44).plus(grace));
        assertThat(catalogue.retention(Entity.MERCHANT)).isEqualTo(Duration.ofDays(37).plus(grace));
        assertThat(catalogue.retention(Entity.IP)).isEqualTo(Duration.ofDays(1).plus(grace));
    }

    @Test
    void shouldChangeItsHashWhenADefinitionChanges() {
        assertThat(FeatureCatalogue.standard().hash()).isEqualTo(catalogue.hash());
        assertThat(FeatureCatalogue.standard(Duration.ofDays(14), catalogue.grace()).hash())
                .isNotEqualTo(catalogue.hash());
    }

    @Test
    void shouldKeepEveryMerchantPaymentWhenAskedForExactMerchantWindows() {
        FeatureCatalogue exact =
                FeatureCatalogue.standard(catalogue.labelDelay(), catalogue.grace(), Duration.ZERO);

        assertThat(catalogue.bucket(Entity.MERCHANT)).isEqualTo(Duration.ofMinutes(10));
        assertThat(exact.bucket(Entity.MERCHANT)).isZero();
        assertThat(EntityState.empty(Entity.MERCHANT, exact)).isInstanceOf(EntityHistory.class);
        assertThat(exact.hash())
                .as("a model knows which it was trained on")
                .isNotEqualTo(catalogue.hash());
        assertThat(exact.names()).isEqualTo(catalogue.names());
    }

    @Test
    void shouldRefuseTwoFeaturesWithOneName() {
        FeatureDefinition f =
                new FeatureDefinition(
                        "x_count",
                        Entity.IP,
                        Aggregation.COUNT,
                        Duration.ofHours(1),
                        Duration.ZERO);

        assertThatThrownBy(
                        () ->
                                FeatureCatalogue.of(
                                        java.util.List.of(f, f), Duration.ofDays(7), Duration.ZERO))
                .hasMessageContaining("unique");
    }

    @Test
    void shouldBeDocumentedInDocsFeaturesMdExactlyAsItPrintsItself() throws Exception {
        Path doc = Path.of("..", "docs", "features.md");

        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/features.md is stale: regenerate with bin/fraud features list --markdown")
                .isEqualTo(catalogue.toMarkdown());
    }
}
