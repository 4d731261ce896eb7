package org.fraudplatform.offline.backfill;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.fraudplatform.features.FeatureCatalogue;

/** Reads a backfill's Parquet output back: per transaction, its catalogue features present. */
public final class FeatureTable {

    private FeatureTable() {}

    /**
     * @param parquet a backfill's {@code features.parquet}
     * @param catalogue the catalogue it was written with (which columns are features)
     * @param transactions which transaction ids to keep
     * @return transaction id → feature name → value, absent values left out
     */
    public static Map<String, Map<String, Double>> read(
            Path parquet, FeatureCatalogue catalogue, Predicate<String> transactions)
            throws SQLException {
        Map<String, Map<String, Double>> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet r =
                        st.executeQuery(
                                "SELECT * FROM read_parquet('"
                                        + parquet.toString().replace("'", "''")
                                        + "')")) {
            ResultSetMetaData meta = r.getMetaData();
            while (r.next()) {
                String id = r.getString("transaction_id");
                if (!transactions.test(id)) {
                    continue;
                }
                Map<String, Double> features = new HashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String name = meta.getColumnName(i);
                    if (catalogue.indexOf(name) < 0) {
                        continue;
                    }
                    double v = r.getDouble(i);
                    if (!r.wasNull()) {
                        features.put(name, v);
                    }
                }
                rows.put(id, features);
            }
        }
        return rows;
    }
}
