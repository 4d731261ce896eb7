package org.fraudplatform.offline.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The back-test report's SVG bar charts. */
class SvgChartTest {

    @Test
    void shouldTickTheValueAxisInRoundStepsOfAboutAFifth() {
        assertThat(SvgChart.step(0)).isEqualTo(1);
        assertThat(SvgChart.step(5)).isEqualTo(1);
        assertThat(SvgChart.step(11)).isEqualTo(5);
        assertThat(SvgChart.step(100)).isEqualTo(20);
        assertThat(SvgChart.step(4_321)).isEqualTo(1_000);
    }

    @Test
    void shouldScaleTheLongestBarToTheTopTickAndEscapeEveryName() {
        // when
        String svg =
                SvgChart.horizontalBars(
                        "h", "Hits <per> rule", List.of("a & b", "c"), List.of(10L, 5L), "hits");

        // then: ticks of 2 up to 10, the longest bar the whole plot wide (760 - 260 - 60)
        assertThat(svg)
                .startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("<title id=\"h-title\">Hits &lt;per&gt; rule</title>")
                .contains("<desc id=\"h-desc\">a &amp; b: 10; c: 5</desc>")
                .contains("width=\"440.0\" height=\"18\" fill=\"#4e79a7\"><title>a &amp; b: 10")
                .contains("width=\"220.0\" height=\"18\" fill=\"#4e79a7\"><title>c: 5")
                .contains(">8</text>")
                .doesNotContain(">12</text>")
                .doesNotContain("a & b");
    }
}
