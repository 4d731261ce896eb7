package org.fraudplatform.providers.adyen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AdyenHmacTest {

    /** The sample key and notification of Adyen's "Verify HMAC signatures" page. */
    private static final String KEY =
            "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";

    private static final String SIGNATURE = "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=";

    @Test
    void shouldSignTheFieldsInAdyensDocumentedOrderWithAnEmptyOriginalReference() {
        assertThat(AdyenHmac.payload(documented()))
                .isEqualTo(
                        "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:"
                                + "AUTHORISATION:true");
    }

    @Test
    void shouldComputeTheSignatureOfAdyensDocumentedExample() {
        assertThat(AdyenHmac.sign(documented(), KEY)).isEqualTo(SIGNATURE);
    }

    @Test
    void shouldAcceptAdyensDocumentedExample() {
        ObjectNode item = documented();
        item.putObject("additionalData").put("hmacSignature", SIGNATURE);

        assertThat(AdyenHmac.isValid(item, KEY)).isTrue();
    }

    @Test
    void shouldRefuseAnItemWhoseAmountWasChanged() {
        ObjectNode item = documented();
        item.putObject("additionalData").put("hmacSignature", SIGNATURE);
        ((ObjectNode) item.get("amount")).put("value", 11300);

        assertThat(AdyenHmac.isValid(item, KEY)).isFalse();
    }

    @Test
    void shouldRefuseAnItemSignedWithAnotherKeyOrNotSignedAtAll() {
        ObjectNode item = documented();
        item.putObject("additionalData")
                .put(
                        "hmacSignature",
                        AdyenHmac.sign(
                                documented(),
                                "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00"));
        ObjectNode unsigned = documented();

        assertThat(AdyenHmac.isValid(item, KEY)).isFalse();
        assertThat(AdyenHmac.isValid(unsigned, KEY)).isFalse();
    }

    private static ObjectNode documented() {
        ObjectNode item = new ObjectMapper().createObjectNode();
        item.put("pspReference", "7914073381342284");
        item.put("merchantAccountCode", "TestMerchant");
        item.put("merchantReference", "TestPayment-1407325143704");
        item.putObject("amount").put("value", 1130).put("currency", "EUR");
        item.put("eventCode", "AUTHORISATION");
        item.put("success", "true");
        return item;
    }
}
