package org.fraudplatform.offline.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.schemas.testing.PaymentRequests.aCardPayment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.features.FeatureInputs;
import org.fraudplatform.features.FeaturePayment;
import org.fraudplatform.features.GeneratedHistory;
import org.fraudplatform.models.runtime.LinearModel;
import org.fraudplatform.models.runtime.ModelCodec;
import org.fraudplatform.models.runtime.Standardization;
import org.fraudplatform.offline.FlinkTarget;
import org.fraudplatform.offline.backfill.FeatureBackfill;
import org.fraudplatform.offline.backfill.HistoryFormat;
import org.fraudplatform.offline.backfill.HistoryRow;
import org.fraudplatform.risk.RiskReplay;
import org.fraudplatform.risk.RiskSettings;
import org.fraudplatform.risk.RulesRiskScorer;
import org.fraudplatform.risk.models.LiveModels;
import org.fraudplatform.risk.models.LoadedModel;
import org.fraudplatform.risk.models.ModelRiskScorer;
import org.fraudplatform.risk.models.Releases;
import org.fraudplatform.rules.engine.RulesetSource;
import org.fraudplatform.schemas.BankScheme;
import org.fraudplatform.schemas.BankTransfer;
import org.fraudplatform.schemas.Card;
import org.fraudplatform.schemas.CardBrand;
import org.fraudplatform.schemas.CardFunding;
import org.fraudplatform.schemas.Channel;
import org.fraudplatform.schemas.ListEntry;
import org.fraudplatform.schemas.ModelRelease;
import org.fraudplatform.schemas.ModelStage;
import org.fraudplatform.schemas.PaymentEvent;
import org.fraudplatform.schemas.PaymentRequest;
import org.fraudplatform.schemas.ReasonCode;
import org.fraudplatform.schemas.RiskDecision;
import org.fraudplatform.schemas.Wallet;
import org.fraudplatform.schemas.WalletProvider;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The back-test decides as the platform decides. One generated history (card, bank and wallet
 * payments in four currencies, with BINs, card countries, channels and merchant categories, a
 * blocked BIN and a blocked country, declines and fraud chargebacks) runs through the risk topology
 * with the packaged rules and a champion model ({@code TopologyTestDriver}), and through the
 * backfill and the back-test with the same rules and model (Flink MiniCluster): every payment gets
 * the same action, score, model score and reasons (code, message and source, in order) from both.
 */
class BacktestReplaysLiveDecisionsTest {

    @TempDir Path dir;

    private static final CurrencyRates RATES = RiskSettings.DEFAULTS.currencyRates();
    private static final FeatureCatalogue CATALOGUE = FeatureCatalogue.standard();
    private static final Instant LISTED_AT = Instant.parse("2020-01-01T00:00:00Z");
    private static final List<String> COUNTRIES = List.of("DE", "FR", "US", "BR");
    private static final List<String> CURRENCIES = List.of("EUR", "JPY", "KWD", "USD");
    private static final List<String> BINS = List.of("424242", "555555", "400000");

    @Test
    void shouldReproduceEveryLiveDecisionOfRulesAndModelPaymentForPayment() throws Exception {
        // given a history, a champion model and two list entries
        List<Object> history = history(20_260_401L, 500);
        ModelRelease champion = champion();
        List<ListEntry> lists =
                List.of(listEntry("blocked_bins", "555555"), listEntry("blocked_countries", "BR"));

        // when the platform decides it online
        Map<String, RiskDecision> online = online(history, champion, lists);
        // and the back-test replays it offline, with the same rules and model
        Path features = backfill(history);
        ListTimeline.Builder timeline = new ListTimeline.Builder();
        lists.forEach(
                e ->
                        timeline.record(
                                e.getList() + ":" + e.getValue(),
                                e,
                                e.getAddedAt().toEpochMilli()));
        RuleBacktest.Result result =
                RuleBacktest.run(
                        new RuleBacktest.Settings(
                                features,
                                RulesetSource.packaged(),
                                RulesetSource.packaged(),
                                champion,
                                null,
                                CATALOGUE,
                                RATES,
                                timeline.build(),
                                null,
                                null,
                                dir.resolve("backtest"),
                                2,
                                true,
                                FlinkTarget.local()),
                        new PrintStream(OutputStream.nullOutputStream()));
        Map<String, JsonNode> offline = decisions(result.decisions());

        // then every payment is decided alike
        assertThat(offline.keySet()).isEqualTo(online.keySet());
        Set<String> codes = new TreeSet<>();
        for (RiskDecision live : online.values()) {
            JsonNode replayed = offline.get(live.getPaymentId()).get("candidate");
            String id = live.getPaymentId();
            assertThat(replayed.get("action").asText())
                    .as("action of %s", id)
                    .isEqualTo(live.getAction().name());
            assertThat(reasons(replayed.get("reasons")))
                    .as("reasons of %s", id)
                    .isEqualTo(live.getReasons());
            assertThat(replayed.get("score").asDouble())
                    .as("score of %s", id)
                    .isEqualTo(live.getScore());
            assertThat(replayed.get("model_score").asDouble())
                    .as("model score of %s", id)
                    .isEqualTo(live.getModelScore());
            assertThat(replayed.get("model_version").asText()).isEqualTo(live.getModelVersion());
            assertThat(replayed.get("ruleset_version").asText())
                    .isEqualTo(live.getRulesetVersion());
            assertThat(reasons(replayed.get("shadow_reasons")))
                    .as("shadow reasons of %s", id)
                    .isEqualTo(live.getShadowReasons());
            live.getReasons().forEach(r -> codes.add(r.getCode()));
        }
        // and the comparison covered the rules that read the request's details and the model
        assertThat(codes)
                .contains(
                        "GEO_COUNTRY_MISMATCH",
                        "MCC_GAMBLING",
                        "MCC_QUASI_CASH",
                        "BLOCKED_BIN",
                        "BLOCKED_COUNTRY",
                        "MODEL_SCORE_DECLINE",
                        "MODEL_SCORE_REVIEW")
                .anyMatch(c -> c.startsWith("ML_"));
        assertThat(online.values())
                .extracting(RiskDecision::getAction)
                .map(Enum::name)
                .contains("APPROVE", "REVIEW", "DECLINE");
        // the baseline ran the rules alone: it never read a model score
        assertThat(offline.values())
                .allSatisfy(
                        d -> assertThat(d.get("baseline").get("model_score").isNull()).isTrue());
        assertThat(result.candidate().payments).isEqualTo(online.size());
    }

    /** Payments and outcomes in time order, as the topics would hold them. */
    private static List<Object> history(long seed, int payments) {
        Random r = new Random(seed);
        List<Object> history = new ArrayList<>();
        for (GeneratedHistory.Input input : GeneratedHistory.generate(seed, payments, false)) {
            if (input instanceof GeneratedHistory.PaymentInput p) {
                history.add(request(p.payment(), r));
            } else {
                history.add(
                        GeneratedHistory.ledgerEvent(
                                ((GeneratedHistory.OutcomeInput) input).outcome()));
            }
        }
        return history;
    }

    private static PaymentRequest request(FeaturePayment p, Random r) {
        String country =
                p.country() == null
                        ? null
                        : COUNTRIES.get(Math.floorMod(p.country().hashCode(), COUNTRIES.size()));
        PaymentRequest request =
                aCardPayment()
                        .paymentId(p.transactionId())
                        .customer(p.customer())
                        .emailHash(p.email())
                        .customerIp(p.ip())
                        .deviceId(p.device())
                        .merchant(p.merchant())
                        .customerCountry(country)
                        .amount(p.referenceAmount())
                        .currency(CURRENCIES.get(r.nextInt(CURRENCIES.size())))
                        .merchantCategory(
                                List.of("5411", "7995", "6051", "4829", "").get(r.nextInt(5)))
                        .at(Instant.ofEpochMilli(p.timeMillis()))
                        .build();
        if (request.getMerchantCategoryCode().isEmpty()) {
            request.setMerchantCategoryCode(null);
        }
        request.setChannel(Channel.values()[r.nextInt(Channel.values().length)]);
        if (r.nextInt(5) == 0) {
            // the features read the billing country then, the rules no customer country
            request.getCustomer().setCountry(null);
        }
        int method = r.nextInt(10);
        if (method == 0) {
            request.setInstrument(
                    BankTransfer.newBuilder()
                            .setAccountToken(p.card())
                            .setCountry("DE")
                            .setLast4("3000")
                            .setScheme(BankScheme.SEPA)
                            .build());
        } else if (method == 1) {
            // keyed by the underlying card when the wallet reveals it, else by its own token
            boolean reveals = r.nextBoolean();
            request.setInstrument(
                    Wallet.newBuilder()
                            .setProvider(WalletProvider.GOOGLE_PAY)
                            .setWalletToken(reveals ? "wallet-" + p.card() : p.card())
                            .setCardFingerprint(reveals ? p.card() : null)
                            .build());
        } else {
            request.setInstrument(
                    Card.newBuilder()
                            .setToken(p.card())
                            .setFingerprint("fp-" + p.card())
                            .setBin(BINS.get(r.nextInt(BINS.size())))
                            .setLast4("4242")
                            .setBrand(CardBrand.VISA)
                            .setFunding(CardFunding.values()[r.nextInt(4)])
                            .setIssuingCountry(
                                    r.nextInt(4) == 0
                                            ? null
                                            : COUNTRIES.get(r.nextInt(COUNTRIES.size() - 1)))
                            .setExpMonth(12)
                            .setExpYear(2030)
                            .build());
        }
        return request;
    }

    /**
     * A logistic model over the amount and the IP's cards of the day, steep enough that some
     * payments fall in each of the rules' model bands.
     */
    private static ModelRelease champion() {
        List<String> inputs = Releases.inputs();
        int n = inputs.size();
        double[] mean = new double[n];
        double[] std = new double[n];
        Arrays.fill(std, 1.0);
        mean[0] = 5000;
        std[0] = 2000;
        double[] weights = new double[n];
        weights[0] = 0.1;
        weights[inputs.indexOf("ip_distinct_cards_1d")] = 0.5;
        weights[inputs.indexOf("card_count_1h")] = 0.3;
        LinearModel model = new LinearModel(inputs, new Standardization(mean, std), weights, -2.5);
        return Releases.release("champ-1", ModelStage.CHAMPION, LISTED_AT, ModelCodec.write(model))
                .setName("lr-champ")
                .build();
    }

    private static ListEntry listEntry(String list, String value) {
        return ListEntry.newBuilder()
                .setList(list)
                .setValue(value)
                .setNote("test")
                .setAuthor("analyst")
                .setAddedAt(LISTED_AT)
                .setExpiresAt(null)
                .build();
    }

    private static Map<String, RiskDecision> online(
            List<Object> history, ModelRelease champion, List<ListEntry> entries) {
        LiveModels models = new LiveModels();
        models.set(LoadedModel.load(champion, CATALOGUE), null);
        Map<String, RiskDecision> decisions =
                RiskReplay.decide(
                        new ModelRiskScorer(RulesRiskScorer.packagedRuleset(), models, RATES),
                        entries,
                        history);
        for (RiskDecision d : decisions.values()) {
            assertThat(d.getReasons())
                    .extracting(ReasonCode::getCode)
                    .as("decided on all its features")
                    .doesNotContain("FEATURES_INCOMPLETE");
        }
        return decisions;
    }

    /** The history as the platform's history file, backfilled. */
    private Path backfill(List<Object> history) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(HistoryFormat.EVENTS.header());
        for (Object item : history) {
            HistoryRow row =
                    item instanceof PaymentRequest r
                            ? HistoryRow.of(r, RATES)
                            : HistoryRow.of(
                                    FeatureInputs.outcome((PaymentEvent) item).orElseThrow());
            lines.add(HistoryFormat.eventsLine(row));
        }
        Path csv = dir.resolve("history.csv");
        Files.write(csv, lines, StandardCharsets.UTF_8);
        return FeatureBackfill.run(
                        new FeatureBackfill.Settings(
                                csv,
                                HistoryFormat.EVENTS,
                                null,
                                dir.resolve("features"),
                                CATALOGUE,
                                RATES,
                                FlinkTarget.local(),
                                2),
                        new PrintStream(OutputStream.nullOutputStream()))
                .csv();
    }

    private static Map<String, JsonNode> decisions(Path file) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode d = json.readTree(line);
            assertThat(byId.put(d.get("transaction_id").asText(), d))
                    .as("one decision per payment")
                    .isNull();
        }
        return byId;
    }

    private static List<ReasonCode> reasons(JsonNode array) {
        List<ReasonCode> reasons = new ArrayList<>();
        array.forEach(
                r ->
                        reasons.add(
                                new ReasonCode(
                                        r.get("code").asText(),
                                        r.get("message").asText(),
                                        r.get("source").asText())));
        return reasons;
    }
}
