package org.fraudplatform.rules.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class FeaturesTest {

    private final Features features =
            Features.builder().put("card_count_10m", 3).put("card_sum_amount_1d", 120_00).build();

    @Test
    void shouldGiveThePresentValue() {
        assertThat(features.has("card_count_10m")).isTrue();
        assertThat(features.get("card_count_10m")).isEqualTo(3.0);
    }

    @Test
    void shouldNameTheAbsentFeatureAndThosePresentWhenReadingAnAbsentOne() {
        assertThatThrownBy(() -> features.get("card_count_10min"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'card_count_10min' is absent")
                .hasMessageContaining("[card_count_10m, card_sum_amount_1d]")
                .hasMessageContaining("has(\"card_count_10min\")");
    }

    @Test
    void shouldGiveTheDefaultForAnAbsentFeature() {
        assertThat(features.has("card_seconds_since_last_payment")).isFalse();
        assertThat(features.getOrDefault("card_seconds_since_last_payment", -1)).isEqualTo(-1.0);
        assertThat(features.getOrDefault("card_count_10m", -1)).isEqualTo(3.0);
    }

    @Test
    void shouldRefuseANonFiniteValue() {
        assertThatThrownBy(() -> Features.builder().put("card_avg_amount_1d", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("card_avg_amount_1d");
    }

    @Test
    void shouldNotChangeWhenTheMapItWasMadeFromChanges() {
        Map<String, Integer> values = new java.util.HashMap<>(Map.of("card_count_1d", 2));
        Features made = Features.of(values);

        values.put("card_count_1d", 9);

        assertThat(made.get("card_count_1d")).isEqualTo(2.0);
        assertThat(made.asMap()).containsExactly(Map.entry("card_count_1d", 2.0));
    }
}
