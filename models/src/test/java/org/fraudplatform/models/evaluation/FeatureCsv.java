package org.fraudplatform.models.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small feature files in the backfill's layout for the tests. */
final class FeatureCsv {

    /** Three catalogue features, enough to see their order and missing values. */
    static final List<String> CATALOGUE =
            List.of("card_count_1h", "card_avg_amount_1d", "merchant_fraud_rate_7d_lag7d");

    static final String HEADER =
            "transaction_id,event_time,amount_minor,card,merchant,customer,email,ip,device,country,"
                    + String.join(",", CATALOGUE)
                    + ",is_fraud,fraud_known_at";

    private final List<String> lines = new ArrayList<>();

    FeatureCsv() {
        lines.add(HEADER);
    }

    /** A genuine payment: amount then the catalogue features (NaN written empty). */
    FeatureCsv genuine(String id, String time, String card, double... features) {
        return row(id, time, card, 0, "", features);
    }

    /** A fraudulent payment whose label became known at {@code knownAt}. */
    FeatureCsv fraud(String id, String time, String card, String knownAt, double... features) {
        return row(id, time, card, 1, knownAt, features);
    }

    /** A line as is, e.g. a broken one. */
    FeatureCsv line(String raw) {
        lines.add(raw);
        return this;
    }

    private FeatureCsv row(
            String id, String time, String card, int label, String knownAt, double... features) {
        double[] values = features.length == 0 ? new double[] {1000, 1, 10, 0} : features;
        if (values.length != 1 + CATALOGUE.size()) {
            throw new IllegalArgumentException("amount and " + CATALOGUE.size() + " features");
        }
        StringBuilder s = new StringBuilder();
        s.append(id).append(',').append(time).append(',').append(number(values[0]));
        s.append(',').append(card).append(",m1,,,,,FR");
        for (int i = 1; i < values.length; i++) {
            s.append(',').append(number(values[i]));
        }
        s.append(',').append(label).append(',').append(knownAt);
        lines.add(s.toString());
        return this;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    /** Every line so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    Path write(Path file) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }
}
