package org.fraudplatform.schemas.cards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CardNumberDetectorTest {

    /** Text, and the same text with its card numbers masked. */
    static Stream<Arguments> textsWithCardNumbers() {
        return Stream.of(
                Arguments.of("4111111111111111", "411111******1111"),
                Arguments.of("card 4242424242424242 declined", "card 424242******4242 declined"),
                Arguments.of("spaces 4000 0566 5566 5556", "spaces 400005******5556"),
                Arguments.of("dashes 5555-5555-5555-4444", "dashes 555555******4444"),
                Arguments.of("dots 4111.1111.1111.1111", "dots 411111******1111"),
                Arguments.of("slashes 4111/1111/1111/1111", "slashes 411111******1111"),
                Arguments.of("underscores 4111_1111_1111_1111", "underscores 411111******1111"),
                Arguments.of("mixed 4111 1111-1111.1111", "mixed 411111******1111"),
                Arguments.of("uneven groups 41 1111111 111111 1", "uneven groups 411111******1111"),
                Arguments.of("amex 3782 822463 10005", "amex 378282*****0005"),
                Arguments.of(
                        "no-break spaces 4111\u00a01111\u00a01111\u00a01111",
                        "no-break spaces 411111******1111"),
                Arguments.of(
                        "en dashes 4111\u20131111\u20131111\u20131111",
                        "en dashes 411111******1111"),
                Arguments.of("card=4111111111111111;", "card=411111******1111;"),
                Arguments.of(
                        "glued x4111111111111111 and 4111111111111111y",
                        "glued x411111******1111 and 411111******1111y"),
                Arguments.of(
                        "{\"number\":\"4111 1111 1111 1111\"}",
                        "{\"number\":\"411111******1111\"}"),
                Arguments.of(
                        "{\"a\":\"4242424242424242\",\"b\":\"5555555555554444\"}",
                        "{\"a\":\"424242******4242\",\"b\":\"555555******4444\"}"),
                Arguments.of(
                        "two in a row 4242424242424242 5555555555554444",
                        "two in a row 424242******4242 555555******4444"),
                Arguments.of(
                        "after a date 2026-03-02 4111 1111 1111 1111",
                        "after a date 2026-03-02 411111******1111"),
                Arguments.of(
                        "before an amount 4111 1111 1111 1111 20.50",
                        "before an amount 411111******1111 20.50"),
                Arguments.of("thirteen 4222222222222", "thirteen 422222***2222"),
                Arguments.of("nineteen 4000000000000000006", "nineteen 400000*********0006"),
                Arguments.of(
                        "full-width \uff14\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11\uff11",
                        "full-width 411111******1111"));
    }

    /** Numbers that are no card number: they fail Luhn, are too short or too long, or are apart. */
    static Stream<String> textsWithoutCardNumbers() {
        return Stream.of(
                "order 4111111111111112",
                "order-4242424242424241",
                "at 1732486712345",
                "timestamp 1772445330123 ms",
                "2026-03-02 14.15.05",
                "twelve digits 411111111111",
                "twenty digits 42424242424242424242",
                "two spaces apart 4111  1111  1111  1111",
                "commas 4111,1111,1111,1111",
                "a longer run 94111111111111111",
                "inside a hexadecimal hash 3f9a4111111111111111b2c0",
                "inside a word ab4111-1111-1111-1111cd",
                "phone +49 30 1234567, amount 1234.56 EUR",
                "no digits at all");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textsWithCardNumbers")
    void shouldFindACardNumberWrittenInAnyOfTheseWays(String text, String masked) {
        assertThat(CardNumberDetector.contains(text)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textsWithCardNumbers")
    void shouldMaskAllButTheFirstSixAndLastFourDigits(String text, String masked) {
        assertThat(CardNumberDetector.mask(text)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textsWithCardNumbers")
    void shouldLeaveNoCardNumberInMaskedText(String text, String masked) {
        assertThat(CardNumberDetector.contains(CardNumberDetector.mask(text))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("textsWithoutCardNumbers")
    void shouldLeaveNumbersThatAreNoCardNumberAlone(String text) {
        assertThat(CardNumberDetector.contains(text)).isFalse();
        assertThat(CardNumberDetector.mask(text)).isEqualTo(text);
    }

    @Test
    void shouldMaskOverlappingReadingsOfOneChainOfGroupsAsOneNumber() {
        // its first four groups are a card number, and so are its last four
        String text = "4242 4242 4242 4242 4242";

        assertThat(CardNumberDetector.mask(text)).isEqualTo("424242**********4242");
    }

    @Test
    void shouldTakeNullForTextWithoutACardNumber() {
        assertThat(CardNumberDetector.contains(null)).isFalse();
        assertThat(CardNumberDetector.mask(null)).isNull();
    }

    @Test
    void shouldCheckTheLuhnDigitOfDigitsOnly() {
        assertThat(CardNumberDetector.passesLuhn("4242424242424242")).isTrue();
        assertThat(CardNumberDetector.passesLuhn("4242424242424241")).isFalse();
        assertThat(CardNumberDetector.passesLuhn("4242-4242")).isFalse();
        assertThat(CardNumberDetector.passesLuhn("")).isFalse();
    }
}
