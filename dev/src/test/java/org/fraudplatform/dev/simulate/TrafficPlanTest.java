package org.fraudplatform.dev.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.fraudplatform.api.validation.CardNumbers;
import org.fraudplatform.providers.SimulatedProvider;
import org.junit.jupiter.api.Test;

class TrafficPlanTest {

    static final SimulationOptions DEFAULTS = SimulationOptions.defaults();
    static final TrafficPlan PLAN = TrafficPlan.generate(DEFAULTS);

    @Test
    void theSameSeedAndOptionsPlanTheSameRequestsAndAnotherSeedOthers() {
        TrafficPlan again = TrafficPlan.generate(DEFAULTS);
        TrafficPlan other = TrafficPlan.generate(DEFAULTS.withSeed(43));

        assertThat(again.payments()).isEqualTo(PLAN.payments());
        assertThat(bodies(again)).isEqualTo(bodies(PLAN));
        assertThat(other.payments()).isNotEqualTo(PLAN.payments());
        assertThat(other.customers())
                .extracting(Customer::id)
                .doesNotContainAnyElementsOf(ids(PLAN.customers()));
    }

    @Test
    void idempotencyKeysFollowTheSeedAndTheOptionsButNotTheRun() {
        assertThat(DEFAULTS.keyPrefix()).isEqualTo(SimulationOptions.defaults().keyPrefix());
        assertThat(DEFAULTS.keyPrefix()).startsWith("sim-42-");
        assertThat(DEFAULTS.withSeed(43).keyPrefix()).isNotEqualTo(DEFAULTS.keyPrefix());
        assertThat(DEFAULTS.withTraffic(100, 100).keyPrefix())
                .as("other options plan other bodies: they need other keys, not a 409")
                .isNotEqualTo(DEFAULTS.keyPrefix());
    }

    @Test
    void fraudTakesTheShareOfThePaymentsTheOptionAsksFor() {
        for (double share : new double[] {0.0, 0.03, 0.1, 0.5}) {
            TrafficPlan plan = TrafficPlan.generate(DEFAULTS.withFraudShare(share));

            long fraud = plan.payments().stream().filter(PlannedPayment::fraud).count();

            assertThat(plan.payments()).hasSize(5000);
            assertThat(fraud).as("share %s", share).isEqualTo(Math.round(5000 * share));
        }
    }

    @Test
    void everyFraudScenarioOccursAndThePaymentsAreInTheOrderOfTheirSlots() {
        Map<Scenario, Integer> counts = PLAN.countsByScenario();

        assertThat(counts.get(Scenario.CARD_TESTING)).isPositive();
        assertThat(counts.get(Scenario.STOLEN_CARD)).isPositive();
        assertThat(counts.get(Scenario.ACCOUNT_TAKEOVER)).isPositive();
        for (int i = 0; i < PLAN.payments().size(); i++) {
            assertThat(PLAN.payments().get(i).index()).isEqualTo(i);
        }
    }

    @Test
    void cardTestingTriesManyNewCardsFromOneIpAndOneDeviceWithSmallAmountsInABurst() {
        Map<Integer, List<PlannedPayment>> bursts = occurrences(PLAN, Scenario.CARD_TESTING);
        Set<String> genuineCards = cards(PLAN.customers());

        assertThat(bursts).isNotEmpty();
        assertThat(bursts.values()).anySatisfy(b -> assertThat(b).hasSizeGreaterThanOrEqualTo(5));
        for (List<PlannedPayment> burst : bursts.values()) {
            assertThat(burst).extracting(PlannedPayment::ip).containsOnly(burst.get(0).ip());
            assertThat(burst)
                    .extracting(PlannedPayment::deviceId)
                    .containsOnly(burst.get(0).deviceId());
            assertThat(burst)
                    .extracting(p -> p.card().number())
                    .as("a new card each attempt")
                    .doesNotHaveDuplicates()
                    .doesNotContainAnyElementsOf(genuineCards);
            assertThat(burst)
                    .extracting(PlannedPayment::customerId)
                    .as("a fresh guest account each attempt")
                    .doesNotHaveDuplicates();
            assertThat(burst).allSatisfy(p -> assertThat(p.amount()).isBetween(50L, 299L));
            assertThat(seconds(last(burst)) - seconds(burst.get(0)))
                    .as("a burst: about a second between attempts")
                    .isLessThanOrEqualTo(1.5 * burst.size() + 1);
        }
    }

    @Test
    void aStolenCardIsAGenuineCustomersCardInANewAccountFromANewPlaceForLargerAmounts() {
        Map<String, Customer> byCard = new HashMap<>();
        PLAN.customers().forEach(c -> byCard.put(c.card().number(), c));

        Map<Integer, List<PlannedPayment>> thefts = occurrences(PLAN, Scenario.STOLEN_CARD);

        assertThat(thefts).isNotEmpty();
        for (List<PlannedPayment> theft : thefts.values()) {
            Customer victim = byCard.get(theft.get(0).card().number());
            assertThat(victim).as("the card is a genuine customer's").isNotNull();
            assertThat(theft)
                    .extracting(p -> p.card().number())
                    .containsOnly(victim.card().number());
            for (PlannedPayment p : theft) {
                assertThat(p.customerId()).isNotEqualTo(victim.id());
                assertThat(p.email()).isNotEqualTo(victim.email());
                assertThat(p.ip()).isNotEqualTo(victim.ip());
                assertThat(p.deviceId()).isNotEqualTo(victim.deviceId());
                assertThat(p.country())
                        .as("from abroad")
                        .isIn(Identities.FOREIGN_COUNTRIES)
                        .isNotEqualTo(victim.country());
                assertThat(p.amount())
                        .isGreaterThanOrEqualTo(Math.min(3 * victim.typicalAmount(), 2_500_00));
            }
        }
    }

    @Test
    void anAccountTakeoverIsAGenuineCustomerIdWithANewEmailDeviceCardAndLargerAmounts() {
        Map<String, Customer> byId = new HashMap<>();
        PLAN.customers().forEach(c -> byId.put(c.id(), c));
        Set<String> genuineCards = cards(PLAN.customers());

        Map<Integer, List<PlannedPayment>> takeovers = occurrences(PLAN, Scenario.ACCOUNT_TAKEOVER);

        assertThat(takeovers).isNotEmpty();
        for (List<PlannedPayment> takeover : takeovers.values()) {
            Customer victim = byId.get(takeover.get(0).customerId());
            assertThat(victim).as("the account is a genuine customer's").isNotNull();
            for (PlannedPayment p : takeover) {
                assertThat(p.customerId()).isEqualTo(victim.id());
                assertThat(p.email()).isNotEqualTo(victim.email());
                assertThat(p.deviceId()).isNotEqualTo(victim.deviceId());
                assertThat(p.ip()).isNotEqualTo(victim.ip());
                assertThat(p.card().number()).isNotIn(genuineCards);
                assertThat(p.amount())
                        .isGreaterThanOrEqualTo(Math.min(4 * victim.typicalAmount(), 3_000_00));
            }
        }
    }

    @Test
    void genuineCustomersPayWithTheirOwnCardAddressAndDeviceAtAHumanPace() {
        Map<String, Customer> byId = new HashMap<>();
        PLAN.customers().forEach(c -> byId.put(c.id(), c));
        Map<String, List<Double>> timesByCard = new HashMap<>();

        for (PlannedPayment p : PLAN.payments()) {
            if (p.fraud()) {
                continue;
            }
            Customer c = byId.get(p.customerId());
            assertThat(c).isNotNull();
            assertThat(List.of(p.email(), p.card(), p.ip(), p.deviceId(), p.country()))
                    .containsExactly(c.email(), c.card(), c.ip(), c.deviceId(), c.country());
            timesByCard.computeIfAbsent(p.card().number(), k -> new ArrayList<>()).add(seconds(p));
        }

        assertThat(PLAN.customers().size())
                .as("newcomers joined the 500 regulars")
                .isGreaterThan(500);
        assertThat(ips(PLAN.customers()))
                .as("no two customers share an address")
                .hasSize(PLAN.customers().size());
        assertThat(timesByCard.values()).anySatisfy(t -> assertThat(t).hasSizeGreaterThan(1));
        for (List<Double> times : timesByCard.values()) {
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i) - times.get(i - 1))
                        .isGreaterThanOrEqualTo(Population.MIN_GAP_SECONDS);
            }
            for (double t : times) {
                long inTenMinutes = times.stream().filter(u -> u > t - 600 && u <= t).count();
                assertThat(inTenMinutes)
                        .as("below the velocity rules (6 in 10 minutes)")
                        .isLessThanOrEqualTo(Population.MAX_PER_10_MINUTES);
            }
        }
    }

    @Test
    void cardsAreLuhnValidAndNoneIsATestCardOfTheSimulatedProvider() {
        Set<String> testCards =
                Set.of(
                        SimulatedProvider.DECLINE_GENERIC,
                        SimulatedProvider.DECLINE_INSUFFICIENT_FUNDS,
                        SimulatedProvider.DECLINE_STOLEN,
                        SimulatedProvider.PROCESSING_ERROR,
                        SimulatedProvider.TIMEOUT,
                        SimulatedProvider.SLOW_APPROVE);

        assertThat(PLAN.payments())
                .extracting(p -> p.card().number())
                .allSatisfy(
                        n -> {
                            assertThat(n).hasSize(16);
                            assertThat(CardNumbers.passesLuhn(n)).as(n).isTrue();
                            assertThat(n).isNotIn(testCards).doesNotStartWith("400000");
                        });
    }

    @Test
    void followUpsMatchTheirSharesAndTheTruth() {
        SimulationOptions many = DEFAULTS.withFraudShare(0.5);
        TrafficPlan plan = TrafficPlan.generate(many);
        List<PlannedPayment> fraud =
                plan.payments().stream().filter(PlannedPayment::fraud).collect(Collectors.toList());
        List<PlannedPayment> genuine =
                plan.payments().stream().filter(p -> !p.fraud()).collect(Collectors.toList());

        assertThat(fraud).noneMatch(p -> p.followUp() == FollowUp.REFUND);
        assertThat(genuine)
                .allMatch(p -> p.followUp() == FollowUp.REFUND || p.followUp() == FollowUp.NONE);
        assertThat(share(fraud, FollowUp.CHARGEBACK)).isCloseTo(0.8, within(0.03));
        assertThat(share(fraud, FollowUp.FRAUD_REPORT)).isCloseTo(0.1, within(0.03));
        assertThat(share(genuine, FollowUp.REFUND)).isCloseTo(0.05, within(0.02));
    }

    @Test
    void aRequestBodyIsAManualCardPaymentWithTheWholeCustomer() throws Exception {
        PlannedPayment p = PLAN.payments().get(0);

        JsonNode body = new ObjectMapper().readTree(p.requestBody("sim-42-0"));

        assertThat(body.get("capture_method").asText()).isEqualTo("manual");
        assertThat(body.get("amount").asLong()).isEqualTo(p.amount());
        assertThat(body.at("/payment_method/card/number").asText()).isEqualTo(p.card().number());
        assertThat(body.at("/customer/device_id").asText()).isEqualTo(p.deviceId());
        assertThat(body.at("/customer/ip").asText()).isEqualTo(p.ip());
        assertThat(body.get("reference").asText()).isEqualTo("sim-42-0");
    }

    @Test
    void optionsOutsideTheirRangeAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> new SimulationOptions(10, 10, 10, 1, 1.5, 0.8, 0.1, 0.05))
                .hasMessageContaining("--fraud-share");
        assertThatThrownBy(() -> new SimulationOptions(10, 10, 10, 1, 0.1, 0.8, 0.3, 0.05))
                .hasMessageContaining("--chargeback-share and --report-share");
        assertThatThrownBy(() -> new SimulationOptions(0, 10, 10, 1, 0.1, 0.8, 0.1, 0.05))
                .hasMessageContaining("--payments");
    }

    // ---- helpers ----

    static double share(List<PlannedPayment> payments, FollowUp followUp) {
        return (double) payments.stream().filter(p -> p.followUp() == followUp).count()
                / payments.size();
    }

    static Map<Integer, List<PlannedPayment>> occurrences(TrafficPlan plan, Scenario scenario) {
        Map<Integer, List<PlannedPayment>> out = new TreeMap<>();
        for (PlannedPayment p : plan.payments()) {
            if (p.scenario() == scenario) {
                out.computeIfAbsent(p.instance(), k -> new ArrayList<>()).add(p);
            }
        }
        return out;
    }

    static double seconds(PlannedPayment p) {
        return (double) p.index() / DEFAULTS.rate();
    }

    static PlannedPayment last(List<PlannedPayment> payments) {
        return payments.get(payments.size() - 1);
    }

    static List<String> bodies(TrafficPlan plan) {
        return plan.payments().stream().map(p -> p.requestBody("r")).collect(Collectors.toList());
    }

    static Set<String> ids(List<Customer> customers) {
        return customers.stream().map(Customer::id).collect(Collectors.toSet());
    }

    static Set<String> cards(List<Customer> customers) {
        return customers.stream().map(c -> c.card().number()).collect(Collectors.toSet());
    }

    static Set<String> ips(List<Customer> customers) {
        return new HashSet<>(customers.stream().map(Customer::ip).collect(Collectors.toList()));
    }
}
