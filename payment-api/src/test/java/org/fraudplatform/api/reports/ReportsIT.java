package org.fraudplatform.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fraudplatform.api.reports.Reports.Kind;
import org.fraudplatform.api.reports.Reports.Listed;
import org.fraudplatform.api.reports.Reports.Publication;
import org.fraudplatform.database.Database;
import org.fraudplatform.database.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reports published to a real PostgreSQL: listed newest first with who, when and what they are
 * about, their pages served whole; refused at the edge when empty, oversized or not an HTML page,
 * leaving the good ones as they were; audited, and not stored when the audit trail does not take
 * them.
 */
class ReportsIT {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final String PAGE =
            "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Rule back-test</title></head><body>"
                    + "<svg class=\"chart\" role=\"img\"><rect width=\"10\" height=\"20\"/></svg>"
                    + "</body></html>\n";

    Database db;
    Reports reports;
    List<String> audited;

    @BeforeEach
    void database() {
        db = TestDatabase.fresh();
        reports = new Reports(db.dataSource());
        audited = new ArrayList<>();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void shouldListBacktestReportsNewestFirstWithWhoWhenAndWhatTheyCompare() throws Exception {
        // given
        long older = publish(backtest("c0ffee000001", "packaged01", PAGE), "person:rita", T0);
        long newer =
                publish(
                        backtest("c0ffee000002", "c0ffee000001", PAGE.replace("10", "30")),
                        "person:ana",
                        T0.plusSeconds(60));
        publish(evaluation("a1b2c3d4e5f6", PAGE), "person:dina", T0.plusSeconds(120));

        // when
        List<Listed> listed = reports.list(Kind.BACKTEST, 20);

        // then
        assertThat(listed)
                .extracting(Listed::id, Listed::subject, Listed::baseline, Listed::author)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                newer, "c0ffee000002", "c0ffee000001", "person:ana"),
                        org.assertj.core.groups.Tuple.tuple(
                                older, "c0ffee000001", "packaged01", "person:rita"));
        assertThat(listed.get(0).publishedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(listed.get(0).headline()).isEqualTo("candidate stops 3 frauds");
        assertThat(reports.html(newer)).contains(PAGE.replace("10", "30"));
        assertThat(reports.html(older)).contains(PAGE);
        assertThat(reports.html(newer + 100)).isEmpty();
    }

    @Test
    void shouldGiveEachModelItsNewestEvaluationReport() throws Exception {
        // given
        publish(evaluation("a1b2c3d4e5f6", PAGE), "person:dina", T0);
        long newest =
                publish(
                        evaluation("a1b2c3d4e5f6", PAGE.replace("Rule", "Model")),
                        "person:dina",
                        T0.plusSeconds(60));
        long other = publish(evaluation("0123456789ab", PAGE), "person:dina", T0);
        publish(backtest("a1b2c3d4e5f6", "packaged01", PAGE), "person:rita", T0.plusSeconds(90));

        // when
        Map<String, Listed> byModel =
                reports.newestOf(
                        Kind.EVALUATION, List.of("a1b2c3d4e5f6", "0123456789ab", "ffffffffffff"));

        // then: a back-test about the same name is not an evaluation; a model without one has none
        assertThat(byModel).containsOnlyKeys("a1b2c3d4e5f6", "0123456789ab");
        assertThat(byModel.get("a1b2c3d4e5f6").id()).isEqualTo(newest);
        assertThat(byModel.get("0123456789ab").id()).isEqualTo(other);
    }

    @Test
    void shouldRefuseAMissingAnOversizedOrANonHtmlReportAndKeepTheGoodOne() throws Exception {
        // given
        long good = publish(backtest("c0ffee000001", "packaged01", PAGE), "person:rita", T0);
        byte[] oversized = new byte[Reports.MAX_BYTES + 1];
        Arrays.fill(oversized, (byte) ' ');
        byte[] start = "<!DOCTYPE html><html>".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, oversized, 0, start.length);
        byte[] end = "</html>".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(end, 0, oversized, oversized.length - end.length, end.length);

        // when / then
        assertThatThrownBy(() -> publish(backtest("c0ffee000001", "packaged01", new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the report is empty");
        assertThatThrownBy(() -> publish(backtest("c0ffee000001", "packaged01", oversized)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the report has 2,097,153 bytes; at most 2,097,152 are taken");
        assertThatThrownBy(
                        () -> publish(backtest("c0ffee000001", "packaged01", "# Rule back-test\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the report is not an HTML page");
        assertThatThrownBy(
                        () ->
                                publish(
                                        backtest(
                                                "c0ffee000001",
                                                "packaged01",
                                                PAGE.replace("</html>", ""))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the report is not an HTML page");
        assertThatThrownBy(
                        () ->
                                publish(
                                        backtest(
                                                "c0ffee000001",
                                                "packaged01",
                                                new byte[] {'<', '!', (byte) 0xC3, '('})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the report is not UTF-8 text");
        assertThatThrownBy(() -> publish(backtest("c0ffee000001", null, PAGE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the report's baseline is not a version: null");
        assertThatThrownBy(() -> publish(backtest("<script>", "packaged01", PAGE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the report's subject is not a version");

        // and the good one is still the one listed and served, and nothing else was audited
        assertThat(reports.list(Kind.BACKTEST, 20)).extracting(Listed::id).containsExactly(good);
        assertThat(reports.html(good)).contains(PAGE);
        assertThat(audited).hasSize(1);
    }

    @Test
    void shouldAuditEachPublicationWithWhatItIsAbout() throws Exception {
        long id = publish(backtest("c0ffee000002", "c0ffee000001", PAGE), "person:ana", T0);

        assertThat(audited)
                .containsExactly(
                        "person:ana report.publish report:"
                                + id
                                + " {kind=backtest, subject=c0ffee000002, baseline=c0ffee000001,"
                                + " bytes="
                                + PAGE.getBytes(StandardCharsets.UTF_8).length
                                + ", sha256="
                                + java.util.HexFormat.of()
                                        .formatHex(
                                                java.security.MessageDigest.getInstance("SHA-256")
                                                        .digest(
                                                                PAGE.getBytes(
                                                                        StandardCharsets.UTF_8)))
                                + "}");
    }

    @Test
    void shouldStoreNothingWhenTheAuditTrailDoesNotTakeThePublication() {
        assertThatThrownBy(
                        () ->
                                reports.publish(
                                        backtest("c0ffee000001", "packaged01", PAGE),
                                        "person:rita",
                                        T0,
                                        (actor, action, subject, details) -> {
                                            throw new java.util.concurrent.TimeoutException(
                                                    "the broker did not answer");
                                        }))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);

        assertThat(reports.list(Kind.BACKTEST, 20)).isEmpty();
    }

    @Test
    void shouldPageOlderBacktestReportsAfterTheLastOneShown() throws Exception {
        // given five back-tests a minute apart, and an evaluation among them
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(
                    publish(
                            backtest("c0ffee00000" + i, "packaged01", PAGE),
                            "person:rita",
                            T0.plusSeconds(60L * i)));
        }
        publish(evaluation("a1b2c3d4e5f6", PAGE), "person:dina", T0.plusSeconds(90));

        // when
        List<Listed> first = reports.list(Kind.BACKTEST, 2);
        List<Listed> second = reports.listBefore(Kind.BACKTEST, first.get(1).id(), 2);
        List<Listed> last = reports.listBefore(Kind.BACKTEST, second.get(1).id(), 2);

        // then
        assertThat(first).extracting(Listed::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(second).extracting(Listed::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(last).extracting(Listed::id).containsExactly(ids.get(0));
        assertThat(reports.listBefore(Kind.BACKTEST, ids.get(0), 2)).isEmpty();
    }

    private long publish(Publication p) throws Exception {
        return publish(p, "person:rita", T0);
    }

    private long publish(Publication p, String author, Instant at) throws Exception {
        return reports.publish(
                p,
                author,
                at,
                (actor, action, subject, details) ->
                        audited.add(actor + " " + action + " " + subject + " " + details));
    }

    private static Publication backtest(String candidate, String baseline, String html) {
        return backtest(candidate, baseline, html.getBytes(StandardCharsets.UTF_8));
    }

    private static Publication backtest(String candidate, String baseline, byte[] html) {
        return new Publication(
                Kind.BACKTEST, candidate, baseline, "candidate stops 3 frauds", html);
    }

    private static Publication evaluation(String version, String html) {
        return new Publication(
                Kind.EVALUATION,
                version,
                null,
                "gbt, roc_auc 0.912",
                html.getBytes(StandardCharsets.UTF_8));
    }
}
