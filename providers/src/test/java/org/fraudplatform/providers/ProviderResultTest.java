package org.fraudplatform.providers;

import static org.assertj.core.api.Assertions.assertThat;

import org.fraudplatform.providers.ProviderResult.Outcome;
import org.junit.jupiter.api.Test;

class ProviderResultTest {

    @Test
    void shouldMaskACardNumberInTheCodeAndMessageOfWhateverAProviderAnswers() {
        ProviderResult declined =
                ProviderResult.declined(
                        "acquirer-x",
                        "ref_1",
                        "invalid_card_4111111111111111",
                        "{\"error\":\"card 4111-1111-1111-1111 refused\"}");
        ProviderResult error =
                ProviderResult.error("acquirer-x", "bad_request", "pan=5555.5555.5555.4444");
        ProviderResult unknown =
                ProviderResult.unknown("acquirer-x", "timeout for 4242424242424242");

        assertThat(declined.code()).isEqualTo("invalid_card_411111******1111");
        assertThat(declined.message()).isEqualTo("{\"error\":\"card 411111******1111 refused\"}");
        assertThat(error.message()).isEqualTo("pan=555555******4444");
        assertThat(unknown.message()).isEqualTo("timeout for 424242******4242");
    }

    @Test
    void shouldKeepTheReferenceFollowUpsAreSentWithAndReasonsWithoutACardNumber() {
        ProviderResult result =
                new ProviderResult(
                        Outcome.DECLINED,
                        "acquirer-x",
                        "4111111111111111",
                        "insufficient_funds",
                        "order 1732486712345 declined");

        assertThat(result.reference()).isEqualTo("4111111111111111");
        assertThat(result.code()).isEqualTo("insufficient_funds");
        assertThat(result.message()).isEqualTo("order 1732486712345 declined");
    }
}
