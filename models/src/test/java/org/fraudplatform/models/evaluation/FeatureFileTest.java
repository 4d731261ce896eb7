package org.fraudplatform.models.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a feature backfill: the rows of a time range, as columns, or a clear refusal. */
class FeatureFileTest {

    @TempDir Path dir;

    private static final Instant AUG_1 = Instant.parse("2018-08-01T00:00:00Z");
    private static final Instant AUG_2 = Instant.parse("2018-08-02T00:00:00Z");

    @Test
    void shouldKeepTheRowsOfTheRangeWithTheirLabelsAndFeatures() throws Exception {
        // given a row just before the range, two in it (one fraud with a missing feature) and one
        // at its exclusive end
        Path csv =
                new FeatureCsv()
                        .genuine("t0", "2018-07-31 23:59:59", "c1", 500, 1, 5, 0)
                        .genuine("t1", "2018-08-01 00:00:00", "c1", 1250, 2, 7.5, 0.25)
                        .fraud(
                                "t2",
                                "2018-08-01 12:30:05",
                                "c2",
                                "2018-08-08 12:30:05",
                                9900,
                                Double.NaN,
                                -3.125,
                                0)
                        .genuine("t3", "2018-08-02 00:00:00", "c3")
                        .write(dir.resolve("features.csv"));

        // when
        FeatureFile file = FeatureFile.read(csv, AUG_1, AUG_2);

        // then
        assertThat(file.size()).isEqualTo(2);
        assertThat(file.linesRead()).isEqualTo(4);
        assertThat(file.source()).isEqualTo("features.csv");
        assertThat(file.transactionIds()).containsExactly("t1", "t2");
        assertThat(file.eventTimesMs())
                .containsExactly(
                        AUG_1.toEpochMilli(), Instant.parse("2018-08-01T12:30:05Z").toEpochMilli());
        assertThat(file.cards()).containsExactly("c1", "c2");
        assertThat(file.fraudLabels()).containsExactly(0, 1);
        assertThat(file.fraudKnownAtMs())
                .containsExactly(
                        Long.MAX_VALUE, Instant.parse("2018-08-08T12:30:05Z").toEpochMilli());
        assertThat(file.featureNames())
                .containsExactly(
                        "amount_minor",
                        "card_count_1h",
                        "card_avg_amount_1d",
                        "merchant_fraud_rate_7d_lag7d");
        assertThat(file.features(0)).containsExactly(1250, 2, 7.5, 0.25);
        assertThat(file.features(1)[0]).isEqualTo(9900);
        assertThat(file.features(1)[1]).isNaN();
        assertThat(file.features(1)[2]).isEqualTo(-3.125);
        assertThat(file.features(new int[] {1, 0}))
                .isDeepEqualTo(new double[][] {file.features(1), file.features(0)});
    }

    @Test
    void shouldReadCrLfLinesQuotedFieldsAndFractionalSeconds() throws Exception {
        // given Windows line endings, an id holding a comma and a time with milliseconds
        String text =
                FeatureCsv.HEADER
                        + "\r\n\"id,1\",2018-08-01 10:00:00.250,700,c1,m1,,,,,FR,1,2,3,0,\r\n";
        Path csv = Files.writeString(dir.resolve("features.csv"), text, StandardCharsets.UTF_8);

        // when
        FeatureFile file = FeatureFile.read(csv, AUG_1, AUG_2);

        // then
        assertThat(file.transactionIds()).containsExactly("id,1");
        assertThat(file.eventTimeMs(0))
                .isEqualTo(Instant.parse("2018-08-01T10:00:00.250Z").toEpochMilli());
        assertThat(file.fraudKnownAtMs(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(file.features(0)).containsExactly(700, 1, 2, 3);
    }

    @Test
    void shouldReadTheSameRowsWhateverTheBufferSize() throws Exception {
        // given a few thousand rows with random gaps and values, read with a buffer of 16 bytes
        // (every line crosses buffer ends, which also grow) and with the default
        FeatureCsv generated = new FeatureCsv();
        Random random = new Random(7);
        long time = AUG_1.toEpochMilli() - 3_600_000L;
        for (int i = 0; i < 3000; i++) {
            time += random.nextInt(60_000);
            String at = Instant.ofEpochMilli(time).toString().replace('T', ' ').replace("Z", "");
            double[] values = {
                random.nextInt(100_000),
                random.nextBoolean() ? Double.NaN : random.nextInt(20),
                random.nextDouble() * 1000,
                random.nextDouble()
            };
            generated.genuine("t" + i, at, "c" + random.nextInt(50), values);
        }
        Path csv = generated.write(dir.resolve("features.csv"));

        // when
        FeatureFile small = FeatureFile.read(csv, AUG_1, AUG_2, 16);
        FeatureFile large = FeatureFile.read(csv, AUG_1, AUG_2);

        // then
        assertThat(small.size()).isEqualTo(large.size()).isGreaterThan(1000);
        assertThat(small.transactionIds()).containsExactly(large.transactionIds());
        assertThat(small.eventTimesMs()).containsExactly(large.eventTimesMs());
        assertThat(small.cards()).containsExactly(large.cards());
        for (int r = 0; r < large.size(); r++) {
            assertThat(small.features(r)).containsExactly(large.features(r));
        }
    }

    @Test
    void shouldNameAMissingColumn() throws Exception {
        // given a header without the card column
        Path csv =
                Files.writeString(
                        dir.resolve("features.csv"),
                        FeatureCsv.HEADER.replace(",card,", ",") + "\n",
                        StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> FeatureFile.read(csv, AUG_1, AUG_2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lacks the column 'card'");
    }

    @Test
    void shouldRefuseAnEmptyFile() throws Exception {
        Path csv = Files.writeString(dir.resolve("features.csv"), "");

        assertThatThrownBy(() -> FeatureFile.read(csv, AUG_1, AUG_2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no header");
    }

    @Test
    void shouldNameTheLineWithTooFewFields() throws Exception {
        // given a truncated third line, outside the range: field counts are checked everywhere
        Path csv =
                new FeatureCsv()
                        .genuine("t1", "2018-08-01 00:00:00", "c1")
                        .line("t2,2018-07-01 00:00:01,300,c1")
                        .write(dir.resolve("features.csv"));

        assertThatThrownBy(() -> FeatureFile.read(csv, AUG_1, AUG_2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features.csv line 3: expected 15 fields, found 4");
    }

    @Test
    void shouldNameTheLineWithABrokenNumberOrTime() throws Exception {
        List<String> good = new FeatureCsv().genuine("t1", "2018-08-01 00:00:00", "c1").lines();
        String row = good.get(1);

        Path badNumber =
                new FeatureCsv()
                        .line(row)
                        .line(row.replace("1000.0", "12x"))
                        .write(dir.resolve("number.csv"));
        Path badTime =
                new FeatureCsv()
                        .line(row.replace("2018-08-01", "2018-13-01"))
                        .write(dir.resolve("time.csv"));

        assertThatThrownBy(() -> FeatureFile.read(badNumber, AUG_1, AUG_2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("number.csv line 3")
                .hasMessageContaining("not a number: '12x'");
        assertThatThrownBy(() -> FeatureFile.read(badTime, AUG_1, AUG_2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("time.csv line 2")
                .hasMessageContaining("'2018-13-01 00:00:00'");
    }

    @Test
    void shouldRefuseAFraudWithoutTheTimeItBecameKnown() throws Exception {
        Path csv =
                new FeatureCsv()
                        .fraud("t1", "2018-08-01 00:00:00", "c1", "")
                        .write(dir.resolve("features.csv"));

        assertThatThrownBy(() -> FeatureFile.read(csv, AUG_1, AUG_2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2: is_fraud is 1 but fraud_known_at is empty");
    }

    @Test
    void shouldParsePlainDecimalsExactlyAsTheJdkDoes() {
        // a property check of the fast path against Double.parseDouble
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "-" : "");
            int digits = 1 + random.nextInt(18);
            int point = random.nextInt(digits + 1);
            for (int d = 0; d < digits; d++) {
                if (d == point && d > 0) {
                    s.append('.');
                }
                s.append((char) ('0' + random.nextInt(10)));
            }
            byte[] bytes = s.toString().getBytes(StandardCharsets.US_ASCII);
            double fast = Decimals.parse(bytes, 0, bytes.length);
            if (!Double.isNaN(fast)) {
                assertThat(fast).as(s.toString()).isEqualTo(Double.parseDouble(s.toString()));
            }
        }
        byte[] exponent = "1e5".getBytes(StandardCharsets.US_ASCII);
        assertThat(Decimals.parse(exponent, 0, exponent.length)).isNaN();
    }
}
