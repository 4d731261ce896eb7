package org.fraudplatform.schemas.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurrencyRatesTest {

    private final CurrencyRates packaged = CurrencyRates.packaged();

    @Test
    void shouldTakeMinorUnitExponentsFromIso4217() {
        assertThat(CurrencyRates.minorUnitDigits("EUR")).isEqualTo(2);
        assertThat(CurrencyRates.minorUnitDigits("JPY")).isZero();
        assertThat(CurrencyRates.minorUnitDigits("KWD")).isEqualTo(3);
    }

    @Test
    void shouldRefuseCodesWithoutMinorUnitAsNoPaymentCurrency() {
        assertThatThrownBy(() -> CurrencyRates.minorUnitDigits("XAU"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XAU has no minor unit");
        assertThatThrownBy(() -> CurrencyRates.minorUnitDigits("EURO"))
                .hasMessageContaining("not an ISO 4217 code");
    }

    @Test
    void shouldUseEuroAsTheReferenceOfThePackagedTable() {
        assertThat(packaged.reference()).isEqualTo("EUR");
        assertThat(packaged.toReference(100_000, "EUR")).isEqualTo(100_000);
    }

    @Test
    void shouldConvertYenWithoutDecimalsToEuroCents() {
        // 100000 JPY at 0.0060 EUR is 600.00 EUR, not the 1 000.00 its minor units suggest
        assertThat(packaged.toReference(100_000, "JPY")).isEqualTo(60_000);
    }

    @Test
    void shouldConvertThreeDecimalCurrenciesFromThousandths() {
        // 1 000.000 KWD (1000000 fils) at 3.00 EUR is 3 000.00 EUR
        assertThat(packaged.toReference(1_000_000, "KWD")).isEqualTo(300_000);
        // 1.000 BHD at 2.45 EUR is 2.45 EUR
        assertThat(packaged.toReference(1_000, "BHD")).isEqualTo(245);
    }

    @Test
    void shouldRoundHalfToEvenToWholeReferenceMinorUnits() throws IOException {
        CurrencyRates rates = table("reference = EUR\nUSD = 0.5\n");

        assertThat(rates.toReference(1, "USD")).isZero(); // 0.5 cent → 0
        assertThat(rates.toReference(3, "USD")).isEqualTo(2); // 1.5 cents → 2
    }

    @Test
    void shouldConvertIntoAnotherReferenceCurrency() throws IOException {
        CurrencyRates rates = table("reference = JPY\nEUR = 160\n");

        assertThat(rates.toReference(25_00, "EUR")).isEqualTo(4_000); // 25.00 EUR = 4000 JPY
        assertThat(rates.rate("JPY")).isEqualByComparingTo(BigDecimal.ONE);
    }

    @Test
    void shouldRefuseToConvertACurrencyTheTableLacks() {
        assertThat(packaged.supports("MNT")).isFalse();
        assertThatThrownBy(() -> packaged.toReference(100, "MNT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("currency MNT has no rate in the currency rate table (reference EUR)");
    }

    @Test
    void shouldReadAReplacementTableFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rates.txt");
        Files.writeString(file, "# ours\nreference = USD\nEUR = 1.10\n");

        CurrencyRates rates = CurrencyRates.read(file);

        assertThat(rates.reference()).isEqualTo("USD");
        assertThat(rates.currencies()).containsExactly("EUR", "USD");
        assertThat(rates.toReference(100_00, "EUR")).isEqualTo(110_00);
    }

    @Test
    void shouldReportEveryProblemOfABadTableWithItsLine() {
        String text =
                "reference = EUR\n"
                        + "USD = 0.92\n"
                        + "USD = 0.93\n"
                        + "JPY = cheap\n"
                        + "XAU = 2000\n"
                        + "GBP = -1\n"
                        + "CHF 1.05\n"
                        + "EUR = 2\n";

        assertThatThrownBy(() -> table(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rates:3: USD has a rate already")
                .hasMessageContaining("rates:4: JPY: the rate must be a decimal number")
                .hasMessageContaining("rates:5: XAU has no minor unit")
                .hasMessageContaining("rates:6: GBP: the rate must be positive")
                .hasMessageContaining("rates:7: expected 'CODE = rate'")
                .hasMessageContaining("the reference currency EUR must have rate 1");
    }

    @Test
    void shouldRefuseATableThatNamesNoReferenceCurrency() {
        assertThatThrownBy(() -> table("USD = 0.92\n"))
                .hasMessageContaining("no 'reference = CODE' line");
    }

    private static CurrencyRates table(String text) throws IOException {
        return CurrencyRates.parse("rates", new StringReader(text));
    }
}
