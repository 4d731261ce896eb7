package org.fraudplatform.offline.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.fraudplatform.features.FeatureCatalogue;
import org.fraudplatform.offline.FlinkTarget;
import org.fraudplatform.schemas.money.CurrencyRates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backfill on a small file in the fraud handbook's format, written by the test. */
class HandbookBackfillTest {

    @TempDir Path dir;

    private static final String HEADER = HistoryFormat.HANDBOOK.header();

    @Test
    void shouldWriteEveryPaymentWithItsPointInTimeFeaturesAndLabel() throws Exception {
        // given terminal 7 with a fraud on day 0 (known on day 7) and payments on days 1 and 8,
        // a zero-amount check, and one broken line
        Path input =
                gzip(
                        HEADER,
                        "0,2018-04-01 10:00:00,1,7,120.00,36000,0,1,1",
                        "1,2018-04-02 10:00:00,2,7,30.50,122400,1,0,0",
                        "2,2018-04-02 10:05:00,2,8,0.00,122700,1,0,0",
                        "3,2018-04-02 10:06:00,2,8,not-an-amount,122760,1,0,0",
                        "4,2018-04-09 10:00:01,3,7,10.00,727201,8,0,0");

        FeatureBackfill.Result result = run(input);

        // then
        assertThat(result.rows()).isEqualTo(4);
        assertThat(result.frauds()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("out/rejected.txt")))
                .startsWith("line 5: TX_AMOUNT is not an amount with at most two decimals");
        List<String> lines = Files.readAllLines(result.csv());
        List<String> header = List.of(lines.get(0).split(",", -1));
        assertThat(header.get(0)).isEqualTo("transaction_id");
        assertThat(header)
                .contains(
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
                        "is_fraud");
        Map<String, String> first = row(header, lines.get(1));
        assertThat(first.get("transaction_id")).isEqualTo("0");
        assertThat(first.get("is_fraud")).isEqualTo("1");
        assertThat(first.get("amount_minor")).isEqualTo("12000");
        assertThat(first.get("merchant_fraud_rate_7d_lag7d")).isEqualTo("0.0");

        Map<String, String> dayOne = row(header, lines.get(2));
        assertThat(dayOne.get("card_count_1d")).isEqualTo("1.0");
        assertThat(dayOne.get("merchant_count_1d"))
                .as("day 0 is exactly 24 h earlier: outside (t − 1 d, t]")
                .isEqualTo("1.0");
        assertThat(dayOne.get("merchant_count_7d")).isEqualTo("2.0");
        assertThat(dayOne.get("merchant_count_7d_lag7d"))
                .as("nothing 7 days before")
                .isEqualTo("0.0");
        assertThat(dayOne.get("card_seconds_since_last_payment")).as("absent").isEmpty();

        Map<String, String> zero = row(header, lines.get(3));
        assertThat(zero.get("transaction_id")).isEqualTo("2");
        assertThat(zero.get("card_count_10m")).isEqualTo("2.0");
        assertThat(zero.get("card_avg_amount_1d")).isEqualTo("1525.0");

        // day 8: the lagged window (t − 14 d, t − 7 d] holds the day-0 fraud and day 1, and the
        // day-0 label is known (t ≥ day 0 + 7 d)
        Map<String, String> dayEight = row(header, lines.get(4));
        assertThat(dayEight.get("merchant_count_7d_lag7d")).isEqualTo("2.0");
        assertThat(dayEight.get("merchant_fraud_rate_7d_lag7d")).isEqualTo("0.5");
        assertThat(dayEight.get("is_fraud")).isEqualTo("0");
    }

    @Test
    void shouldRefuseAFileInAnotherFormat() throws Exception {
        Path input = dir.resolve("wrong.csv");
        Files.writeString(input, "a,b,c\n1,2,3\n");

        FeatureBackfill.Result result = run(input);

        assertThat(result.rows()).isZero();
        assertThat(result.rejected()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("out/rejected.txt")))
                .containsExactly(
                        "line 1: expected 9 fields, found 3: a,b,c",
                        "line 2: expected 9 fields, found 3: 1,2,3");
    }

    @Test
    void shouldRefuseAMissingInput() {
        assertThatThrownBy(() -> run(dir.resolve("missing.csv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such file");
    }

    private FeatureBackfill.Result run(Path input) throws Exception {
        return FeatureBackfill.run(
                new FeatureBackfill.Settings(
                        input,
                        HistoryFormat.HANDBOOK,
                        null,
                        dir.resolve("out"),
                        FeatureCatalogue.standard(),
                        CurrencyRates.packaged(),
                        FlinkTarget.local(),
                        2),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    private Path gzip(String... lines) throws Exception {
        Path file = dir.resolve("transactions.csv.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static Map<String, String> row(List<String> header, String line) {
        String[] cells = line.split(",", -1);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            row.put(header.get(i), cells[i]);
        }
        return row;
    }
}
