package org.fraudplatform.providers.adyen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.providers.adyen.AdyenConnectorIT.await;
import static org.fraudplatform.providers.adyen.AdyenConnectorIT.card;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.fraudplatform.providers.ProviderNotice;
import org.fraudplatform.providers.ProviderResult;
import org.fraudplatform.providers.WebhookReceipt;
import org.fraudplatform.providers.http.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Adyen's standard notifications, from the local Adyen, through the connector's verification. */
class AdyenNotificationsIT {

    private final FakeAdyen adyen = new FakeAdyen();
    private final AdyenConnector connector =
            new AdyenConnector(
                    new AdyenSettings(
                            "adyen",
                            adyen.uri(),
                            Secret.of(FakeAdyen.API_KEY),
                            FakeAdyen.MERCHANT,
                            Secret.of(FakeAdyen.HMAC_KEY),
                            Duration.ofSeconds(5),
                            Duration.ofSeconds(5),
                            true));
    private final AdyenNotifications notifications =
            new AdyenNotifications(connector, Secret.of(FakeAdyen.HMAC_KEY));

    AdyenNotificationsIT() throws IOException {}

    @AfterEach
    void stop() {
        adyen.close();
    }

    @Test
    void shouldOpenAndLoseAChargebackThroughADisputesLife() {
        // given a captured payment
        String psp = captured("pay_7", 4_200);

        // when Adyen notifies a chargeback and then a second chargeback
        adyen.dispute(psp, "CHARGEBACK", "10.4");
        adyen.dispute(psp, "SECOND_CHARGEBACK", null);
        WebhookReceipt opened = single(adyen.notifications("CHARGEBACK").get(0));
        WebhookReceipt lost = single(adyen.notifications("SECOND_CHARGEBACK").get(0));

        // then the ledger hears of one chargeback, opened with its reason and then lost
        assertThat(((WebhookReceipt.Relay) opened).notice())
                .isEqualTo(
                        new ProviderNotice(
                                ProviderNotice.CHARGEBACK_OPENED,
                                "pay_7",
                                "adyen:" + psp,
                                4_200L,
                                "10.4",
                                "adyen",
                                opened.eventId()));
        assertThat(((WebhookReceipt.Relay) lost).notice())
                .extracting(ProviderNotice::type, ProviderNotice::chargebackId)
                .containsExactly(ProviderNotice.CHARGEBACK_LOST, "adyen:" + psp);
    }

    @Test
    void shouldWinAChargebackWhenAdyenReversesIt() {
        String psp = captured("pay_8", 1_000);
        adyen.dispute(psp, "CHARGEBACK", "10.4");
        adyen.dispute(psp, "CHARGEBACK_REVERSED", null);

        single(adyen.notifications("CHARGEBACK").get(0));
        WebhookReceipt won = single(adyen.notifications("CHARGEBACK_REVERSED").get(0));

        assertThat(((WebhookReceipt.Relay) won).notice().type())
                .isEqualTo(ProviderNotice.CHARGEBACK_WON);
    }

    @Test
    void shouldTakeARedeliveredItemOnce() {
        String psp = captured("pay_9", 1_000);
        adyen.dispute(psp, "CHARGEBACK", "10.4");
        ObjectNode delivery = adyen.notifications("CHARGEBACK").get(0);

        WebhookReceipt first = single(delivery);
        WebhookReceipt again = single(delivery);

        assertThat(first).isInstanceOf(WebhookReceipt.Relay.class);
        assertThat(again).isInstanceOf(WebhookReceipt.Duplicate.class);
    }

    @Test
    void shouldRefuseAnItemWhoseSignatureDoesNotMatch() {
        String psp = captured("pay_7", 4_200);
        adyen.dispute(psp, "CHARGEBACK", "10.4");
        ObjectNode forged = adyen.notifications("CHARGEBACK").get(0).deepCopy();
        ((ObjectNode) forged.at("/notificationItems/0/NotificationRequestItem/amount"))
                .put("value", 9_999);

        WebhookReceipt receipt = single(forged);

        assertThat(receipt).isInstanceOf(WebhookReceipt.Refused.class);
    }

    @Test
    void shouldAcknowledgeWithoutANoticeWhatTheLedgerStartedItself() {
        String psp = captured("pay_1", 1_000);
        await(connector.refund(psp, 400, "EUR", "ref-1"));

        assertThat(adyen.notifications())
                .extracting(n -> FakeAdyen.item(n).path("eventCode").asText())
                .containsExactly("AUTHORISATION", "CAPTURE", "REFUND");
        assertThat(adyen.notifications())
                .allSatisfy(
                        n -> assertThat(single(n)).isInstanceOf(WebhookReceipt.Acknowledged.class));
    }

    @Test
    void shouldRefuseABodyThatIsNoNotification() {
        List<WebhookReceipt> receipts =
                notifications.receive("{\"hello\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(receipts).singleElement().isInstanceOf(WebhookReceipt.Refused.class);
    }

    private String captured(String paymentId, long amount) {
        ProviderResult authorized =
                await(connector.authorize(card(paymentId, amount, "4111111145551142")));
        await(connector.capture(authorized.reference(), amount, "EUR"));
        return authorized.reference();
    }

    private WebhookReceipt single(ObjectNode delivery) {
        List<WebhookReceipt> receipts =
                notifications.receive(delivery.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(receipts).hasSize(1);
        return receipts.get(0);
    }
}
