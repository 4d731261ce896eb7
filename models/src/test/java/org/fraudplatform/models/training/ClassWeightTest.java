package org.fraudplatform.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The weight of a fraud row against a genuine one, the class-imbalance lever of the search. */
class ClassWeightTest {

    /** One fraud among five rows: four genuine rows per fraud. */
    private static final TrainingData ONE_IN_FIVE =
            new TrainingData(
                    List.of("amount_minor"),
                    new double[][] {{1}, {2}, {3}, {4}, {5}},
                    new int[] {0, 0, 1, 0, 0});

    @Test
    void balancedShouldWeighAFraudAsMuchAsTheGenuineRowsPerFraud() {
        assertThat(ClassWeight.BALANCED.fraudWeight(ONE_IN_FIVE)).isEqualTo(4.0);
    }

    @Test
    void sqrtShouldWeighAFraudByTheSquareRootOfThat() {
        assertThat(ClassWeight.SQUARE_ROOT.fraudWeight(ONE_IN_FIVE)).isEqualTo(2.0);
    }

    @Test
    void noneShouldWeighEveryRowOne() {
        assertThat(ClassWeight.NONE.fraudWeight(ONE_IN_FIVE)).isEqualTo(1.0);
    }

    @Test
    void shouldReadTheLabelsItWrites() {
        for (ClassWeight w : ClassWeight.values()) {
            assertThat(ClassWeight.parse(w.label())).isEqualTo(w);
        }
        assertThat(ClassWeight.parse(" Sqrt ")).isEqualTo(ClassWeight.SQUARE_ROOT);
        assertThatThrownBy(() -> ClassWeight.parse("inverse"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("balanced, sqrt or none");
    }
}
