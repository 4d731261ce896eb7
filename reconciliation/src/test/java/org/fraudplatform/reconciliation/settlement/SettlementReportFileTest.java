package org.fraudplatform.reconciliation.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.ParsedReport;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.Quarantined;
import org.fraudplatform.reconciliation.settlement.SettlementReportFile.Row;
import org.fraudplatform.schemas.SettlementRecord;
import org.fraudplatform.schemas.SettlementType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettlementReportFileTest {

    private static final LocalDate DAY = LocalDate.parse("2026-03-02");
    private static final Instant IMPORTED = Instant.parse("2026-03-03T06:00:00Z");
    private static final String GOOD =
            "simulated-a,2026-03-02,capture,pay_1,capture,ref_1,2500,EUR,60,2026-03-02T10:15:30Z";
    private static final String GOOD_TOO =
            "simulated-a,2026-03-02,refund,pay_2,rf_1,,700,EUR,0,2026-03-02T11:00:00Z";

    @TempDir Path folder;

    private static Row capture(String paymentId, long amount, String reference) {
        return new Row(
                "simulated-a",
                DAY,
                "capture",
                paymentId,
                "capture",
                reference,
                amount,
                "EUR",
                Math.round(amount * 0.014) + 25,
                Instant.parse("2026-03-02T10:15:30Z"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ParsedReport parse(String text) {
        return SettlementReportFile.parse("report.csv", bytes(text), IMPORTED);
    }

    private static String file(String... lines) {
        return SettlementReportFile.HEADER + "\n" + String.join("\n", lines) + "\n";
    }

    // ---- round trip, hash and row ids ----

    @Test
    void shouldReadBackTheRowsItWrote() throws Exception {
        List<Row> rows =
                List.of(
                        capture("pay_1", 2_500, "ref_1"),
                        new Row(
                                "simulated-a",
                                DAY,
                                "refund",
                                "pay_1",
                                "rf_7",
                                null,
                                700,
                                "USD",
                                0,
                                Instant.parse("2026-03-02T23:59:59Z")),
                        capture("pay_2", 123_456, "ref_2"));
        Path file = folder.resolve("reports/simulated-a-2026-03-02.csv");

        SettlementReportFile.write(file, rows);
        ParsedReport report =
                SettlementReportFile.parse(
                        file.getFileName().toString(), Files.readAllBytes(file), IMPORTED);

        assertThat(report.quarantined()).isEmpty();
        assertThat(report.fileName()).isEqualTo("simulated-a-2026-03-02.csv");
        assertThat(report.rows()).hasSize(3);
        List<Row> back = new ArrayList<>();
        for (SettlementRecord r : report.rows()) {
            back.add(
                    new Row(
                            r.getProvider(),
                            LocalDate.parse(r.getSettlementDate()),
                            r.getType() == SettlementType.CAPTURE ? "capture" : "refund",
                            r.getPaymentId(),
                            r.getOperationId(),
                            r.getProviderReference(),
                            r.getAmount(),
                            r.getCurrency(),
                            r.getFee(),
                            r.getBookedAt()));
            assertThat(r.getImportedAt()).isEqualTo(IMPORTED);
            assertThat(r.getFileName()).isEqualTo("simulated-a-2026-03-02.csv");
            assertThat(r.getFileHash()).isEqualTo(report.fileHash());
        }
        assertThat(back).isEqualTo(rows);
        assertThat(report.rows().get(1).getProviderReference())
                .as("an empty provider_reference is no reference")
                .isNull();
    }

    @Test
    void shouldWriteTheHeaderTheRowsAndThenTheExtraLinesAsTheyAre() {
        String csv =
                SettlementReportFile.toCsv(
                        List.of(capture("pay_1", 2_500, "ref_1")), List.of("not,a,row"));

        assertThat(csv.split("\n"))
                .containsExactly(
                        SettlementReportFile.HEADER,
                        "simulated-a,2026-03-02,capture,pay_1,capture,ref_1,2500,EUR,60,"
                                + "2026-03-02T10:15:30Z",
                        "not,a,row");
        assertThat(SettlementReportFile.toCsv(List.of()))
                .isEqualTo(SettlementReportFile.HEADER + "\n");
    }

    @Test
    void shouldIdentifyAFileByTheFirstSixteenHexDigitsOfTheSha256OfItsBytes() throws Exception {
        String text = file(GOOD, GOOD_TOO);
        String expected =
                HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(text)))
                        .substring(0, 16);

        assertThat(parse(text).fileHash()).isEqualTo(expected).hasSize(16);
        assertThat(SettlementReportFile.hash(bytes(text))).isEqualTo(expected);
        assertThat(SettlementReportFile.parse("other-name.csv", bytes(text), Instant.EPOCH))
                .as("the same bytes under another name at another time")
                .extracting(ParsedReport::fileHash)
                .isEqualTo(expected);
    }

    @Test
    void shouldGiveAnotherHashWhenOneByteDiffers() {
        byte[] content = bytes(file(GOOD));
        byte[] changed = content.clone();
        changed[changed.length - 3] = (byte) '1'; // ...10:15:30Z -> ...10:15:31Z

        assertThat(SettlementReportFile.hash(changed))
                .isNotEqualTo(SettlementReportFile.hash(content));
    }

    @Test
    void shouldNumberEveryRowByItsLineInTheFileWithTheHeaderAsLineOne() {
        ParsedReport report = parse(file(GOOD, "", GOOD_TOO));

        assertThat(report.rows())
                .extracting(SettlementRecord::getLine)
                .as("a blank line is skipped but counted")
                .containsExactly(2, 4);
        assertThat(report.rows())
                .extracting(SettlementRecord::getRowId)
                .containsExactly(report.fileHash() + ":2", report.fileHash() + ":4");
    }

    @Test
    void shouldTreatAnEmptyFeeAsZero() {
        ParsedReport report =
                parse(
                        file(
                                "simulated-a,2026-03-02,refund,pay_2,rf_1,,700,EUR,,2026-03-02T11:00:00Z"));

        assertThat(report.quarantined()).isEmpty();
        assertThat(report.rows().get(0).getFee()).isZero();
    }

    // ---- header, BOM and CRLF ----

    @Test
    void shouldRefuseAFileWhoseHeaderIsNotTheReportsAndSayWhichWasExpected() {
        String text = "time,payment_id,amount\n" + GOOD + "\n";

        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("report.csv")
                .hasMessageContaining("'" + SettlementReportFile.HEADER + "'")
                .hasMessageContaining("found 'time,payment_id,amount'");
    }

    @Test
    void shouldRefuseAFileWithoutHeader() {
        assertThatThrownBy(() -> parse(GOOD + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found '" + GOOD + "'");
        assertThatThrownBy(() -> parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found ''");
    }

    @Test
    void shouldAcceptAUtf8ByteOrderMarkAndCrlfLineBreaks() {
        String text = "\uFEFF" + SettlementReportFile.HEADER + "\r\n" + GOOD + "\r\n" + GOOD_TOO;

        ParsedReport report = parse(text);

        assertThat(report.quarantined()).isEmpty();
        assertThat(report.rows())
                .extracting(SettlementRecord::getPaymentId)
                .containsExactly("pay_1", "pay_2");
        assertThat(report.rows().get(0).getBookedAt())
                .as("no carriage return left on the last field")
                .isEqualTo(Instant.parse("2026-03-02T10:15:30Z"));
    }

    @Test
    void shouldReadAHeaderOnlyFileAsAnEmptyReport() {
        ParsedReport report = parse(SettlementReportFile.HEADER + "\n");

        assertThat(report.rows()).isEmpty();
        assertThat(report.quarantined()).isEmpty();
        assertThat(report.provider()).isNull();
        assertThat(report.settlementDate()).isNull();
    }

    // ---- quarantine ----

    @Test
    void shouldQuarantineANonNumericAmountAndKeepTheOtherRows() {
        String bad =
                "simulated-a,2026-03-02,capture,pay_3,capture,ref_3,abc,EUR,0,2026-03-02T12:00:00Z";

        ParsedReport report = parse(file(GOOD, bad, GOOD_TOO));

        assertThat(report.quarantined())
                .containsExactly(
                        new Quarantined(3, bad, "amount_minor 'abc' is not a whole number"));
        assertThat(report.rows()).extracting(SettlementRecord::getLine).containsExactly(2, 4);
    }

    static Stream<Arguments> invalidLines() {
        return Stream.of(
                Arguments.of(
                        "a missing field",
                        "simulated-a,2026-03-02,capture,pay_3,capture,ref_3,2500,EUR,0",
                        "expected 10 fields, found 9"),
                Arguments.of("an extra field", GOOD + ",extra", "expected 10 fields, found 11"),
                Arguments.of(
                        "an empty provider",
                        ",2026-03-02,capture,pay_3,capture,,2500,EUR,0,2026-03-02T12:00:00Z",
                        "provider is empty"),
                Arguments.of(
                        "a settlement date that is not yyyy-MM-dd",
                        "simulated-a,02.03.2026,capture,pay_3,capture,,2500,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "settlement_date '02.03.2026' is not a date (yyyy-MM-dd)"),
                Arguments.of(
                        "a settlement date that does not exist",
                        "simulated-a,2026-02-30,capture,pay_3,capture,,2500,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "settlement_date '2026-02-30' is not a date (yyyy-MM-dd)"),
                Arguments.of(
                        "an unknown row type",
                        "simulated-a,2026-03-02,chargeback,pay_3,capture,,2500,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "row_type 'chargeback' is neither capture nor refund"),
                Arguments.of(
                        "an upper-case row type",
                        "simulated-a,2026-03-02,CAPTURE,pay_3,capture,,2500,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "row_type 'CAPTURE' is neither capture nor refund"),
                Arguments.of(
                        "an empty payment id",
                        "simulated-a,2026-03-02,capture,,capture,,2500,EUR,0,2026-03-02T12:00:00Z",
                        "payment_id is empty"),
                Arguments.of(
                        "a payment id with whitespace",
                        "simulated-a,2026-03-02,capture,pay 3,capture,,2500,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "payment_id 'pay 3' holds whitespace"),
                Arguments.of(
                        "an empty operation id",
                        "simulated-a,2026-03-02,capture,pay_3,,,2500,EUR,0,2026-03-02T12:00:00Z",
                        "operation_id is empty"),
                Arguments.of(
                        "an operation id with whitespace",
                        "simulated-a,2026-03-02,refund,pay_3,rf\t1,,2500,EUR,0,2026-03-02T12:00:00Z",
                        "operation_id 'rf\t1' holds whitespace"),
                Arguments.of(
                        "a decimal amount",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,12.50,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "amount_minor '12.50' is not a whole number"),
                Arguments.of(
                        "an empty amount",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,,EUR,0,2026-03-02T12:00:00Z",
                        "amount_minor '' is not a whole number"),
                Arguments.of(
                        "an amount beyond a long",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,99999999999999999999,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "amount_minor '99999999999999999999' is too large"),
                Arguments.of(
                        "a zero amount",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,0,EUR,0,2026-03-02T12:00:00Z",
                        "amount_minor must be positive, was 0"),
                Arguments.of(
                        "a negative amount",
                        "simulated-a,2026-03-02,refund,pay_3,rf_1,,-700,EUR,0,2026-03-02T12:00:00Z",
                        "amount_minor must be positive, was -700"),
                Arguments.of(
                        "a lower-case currency",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,2500,eur,0,"
                                + "2026-03-02T12:00:00Z",
                        "currency 'eur' is not three capital letters (ISO 4217)"),
                Arguments.of(
                        "a currency of four letters",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,2500,EURO,0,"
                                + "2026-03-02T12:00:00Z",
                        "currency 'EURO' is not three capital letters (ISO 4217)"),
                Arguments.of(
                        "a non-numeric fee",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,2500,EUR,x,"
                                + "2026-03-02T12:00:00Z",
                        "fee_minor 'x' is not a whole number"),
                Arguments.of(
                        "a negative fee",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,2500,EUR,-5,"
                                + "2026-03-02T12:00:00Z",
                        "fee_minor must not be negative, was -5"),
                Arguments.of(
                        "a booking time without zone",
                        "simulated-a,2026-03-02,capture,pay_3,capture,,2500,EUR,0,"
                                + "2026-03-02T12:00:00",
                        "booked_at '2026-03-02T12:00:00' is not an ISO-8601 instant"
                                + " (e.g. 2026-03-02T10:15:30Z)"),
                Arguments.of(
                        "a double quote",
                        "simulated-a,2026-03-02,capture,\"pay_3\",capture,,2500,EUR,0,"
                                + "2026-03-02T12:00:00Z",
                        "the line holds a double quote: quoted fields are not part of the"
                                + " format"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidLines")
    void shouldQuarantineAnInvalidLineWithItsLineNumberAndReasonAndKeepTheOtherRows(
            String problem, String bad, String reason) {
        ParsedReport report = parse(file(GOOD, bad, GOOD_TOO));

        assertThat(report.quarantined()).containsExactly(new Quarantined(3, bad, reason));
        assertThat(report.rows())
                .extracting(SettlementRecord::getPaymentId)
                .containsExactly("pay_1", "pay_2");
        assertThat(report.rows()).extracting(SettlementRecord::getLine).containsExactly(2, 4);
    }

    @Test
    void shouldQuarantineEveryBadLineOfAFileOnItsOwn() {
        String noAmount =
                "simulated-a,2026-03-02,capture,pay_3,capture,,,EUR,0,2026-03-02T12:00:00Z";
        String shortLine = "simulated-a,2026-03-02,capture";
        String badCurrency =
                "simulated-a,2026-03-02,capture,pay_4,capture,,2500,E1R,0,2026-03-02T12:00:00Z";

        ParsedReport report =
                parse(file(noAmount, GOOD, shortLine, "   ", badCurrency, GOOD_TOO) + "\n\n");

        assertThat(report.quarantined()).extracting(Quarantined::line).containsExactly(2, 4, 6);
        assertThat(report.quarantined().get(1).reason()).isEqualTo("expected 10 fields, found 3");
        assertThat(report.rows()).extracting(SettlementRecord::getLine).containsExactly(3, 7);
    }

    // ---- the report's provider and day ----

    @Test
    void shouldTellTheProviderAndDayItsValidRowsShare() {
        ParsedReport report = parse(file(GOOD, GOOD_TOO, "garbage"));

        assertThat(report.provider()).isEqualTo("simulated-a");
        assertThat(report.settlementDate()).isEqualTo("2026-03-02");
    }

    @Test
    void shouldTellNoProviderOrDayWhenTheRowsDisagree() {
        String otherProviderNextDay =
                "simulated-b,2026-03-03,capture,pay_5,capture,,900,EUR,0,2026-03-03T01:00:00Z";

        ParsedReport report = parse(file(GOOD, otherProviderNextDay));

        assertThat(report.provider()).isNull();
        assertThat(report.settlementDate()).isNull();
    }

    // ---- rows that the format cannot carry ----

    @Test
    void shouldRefuseToWriteARowOfAnotherTypeThanCaptureOrRefund() {
        assertThatThrownBy(
                        () ->
                                new Row(
                                        "simulated-a",
                                        DAY,
                                        "chargeback",
                                        "pay_1",
                                        "capture",
                                        null,
                                        100,
                                        "EUR",
                                        0,
                                        Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'chargeback' is neither capture nor refund");
    }

    @Test
    void shouldRefuseToWriteAFieldWithACommaOrAQuote() {
        assertThatThrownBy(() -> capture("pay_1", 100, "ref,1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ref,1' holds a comma");
        assertThatThrownBy(() -> capture("pay_\"1\"", 100, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameARowByItsPaymentAndOperation() {
        assertThat(capture("pay_1", 100, null).itemId()).isEqualTo("pay_1/capture");
    }
}
