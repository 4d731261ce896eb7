package org.fraudplatform.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fraudplatform.api.console.CaseDetailsIT.apply;
import static org.fraudplatform.api.console.CaseDetailsIT.decision;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.fraudplatform.history.DecisionWriter;
import org.fraudplatform.history.LabelWriter;
import org.fraudplatform.schemas.Label;
import org.fraudplatform.schemas.LabelSource;
import org.fraudplatform.schemas.RiskAction;
import org.fraudplatform.schemas.RiskDecision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The models page's champion against shadow, on decisions and labels in a real PostgreSQL. */
class ModelsPageIT {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static Database db;

    @BeforeAll
    static void database() {
        db = TestDatabase.fresh();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void shouldCompareTheChampionAndTheShadowOnTheirLabelledPaymentsByTheNewestLabel()
            throws Exception {
        // given: three payments scored by both, two labelled (one fraud after a first "not
        // fraud"), one scored by another champion
        apply(
                new DecisionWriter(db.dataSource()),
                "payments.decisions",
                List.of(
                        scored("p1", "m-champ", 0.9, "m-shadow", 0.6),
                        scored("p2", "m-champ", 0.2, "m-shadow", 0.4),
                        scored("p3", "m-champ", 0.5, "m-shadow", 0.5),
                        scored("p4", "m-old", 0.99, "m-shadow", 0.99)));
        apply(
                new LabelWriter(db.dataSource()),
                "labels",
                List.of(
                        label("l1", "p1", false, T0),
                        label("l2", "p1", true, T0.plusSeconds(60)),
                        label("l3", "p2", false, T0),
                        label("l4", "p4", true, T0)));

        // when
        ModelsPage.OnLabels on;
        try (Connection c = db.dataSource().getConnection()) {
            on = ModelsPage.onLabels(c, "m-champ", "m-shadow");
        }
        String html = ModelsPage.onLabelsTable("m-champ", "m-<shadow>", on);

        // then
        assertThat(on).isEqualTo(new ModelsPage.OnLabels(2, 1, 0.9, 0.2, 0.6, 0.4));
        assertThat(html)
                .contains("2 labelled payments scored by both, 1 of them fraud")
                .contains(
                        "<tr><td>m-champ (champion)</td><td class=\"num\">0.900</td>"
                                + "<td class=\"num\">0.200</td></tr>")
                .contains("m-&lt;shadow&gt; (shadow)");
    }

    private static RiskDecision scored(
            String id, String champion, double score, String shadow, double shadowScore) {
        return decision(id, RiskAction.APPROVE, Map.of())
                .setModelVersion(champion)
                .setModelScore(score)
                .setShadowModelVersion(shadow)
                .setShadowModelScore(shadowScore)
                .build();
    }

    private static Label label(String id, String payment, boolean fraud, Instant knownAt) {
        return Label.newBuilder()
                .setLabelId(id)
                .setPaymentId(payment)
                .setMerchantId("m1")
                .setInstrumentKey("tok")
                .setFraud(fraud)
                .setSource(LabelSource.REVIEW)
                .setPaymentTime(T0)
                .setKnownAt(knownAt)
                .build();
    }
}
