package org.fraudplatform.api.merchants;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Merchants in PostgreSQL; their API keys are {@link org.fraudplatform.api.keys.ApiKeys}. */
public final class MerchantStore {

    private final DataSource dataSource;

    public MerchantStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates a merchant.
     *
     * @throws IllegalArgumentException when the id is taken
     */
    public void createMerchant(String id, String name) {
        if (findMerchant(id).isPresent()) {
            throw new IllegalArgumentException("merchant " + id + " exists already");
        }
        update("INSERT INTO merchants (id, name) VALUES (?, ?)", id, name);
    }

    public Optional<String> findMerchant(String id) {
        String sql = "SELECT name FROM merchants WHERE id = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read merchant " + id, e);
        }
    }

    private void update(String sql, String... values) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setString(i + 1, values[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("merchant store update failed: " + e.getMessage(), e);
        }
    }
}
