package org.fraudplatform.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void shouldReadTheMetricNamesOfAnExpressionAndNothingElse() {
        assertThat(
                        PromQl.metricNames(
                                "histogram_quantile(0.99, sum by (le) (rate("
                                        + "payment_decision_latency_seconds_bucket[5m]))) > 0.5"))
                .containsExactly("payment_decision_latency_seconds_bucket");
        assertThat(
                        PromQl.metricNames(
                                "sum(rate(http_requests_shed_total[5m])) / sum(rate("
                                        + "http_server_requests_seconds_count{route=\"a.b\"}[5m]))"
                                        + " > 0.05"))
                .containsExactly("http_requests_shed_total", "http_server_requests_seconds_count");
        assertThat(
                        PromQl.metricNames(
                                "sum by (instance) (rate(process_cpu_time_ns_total[1m])) / 1e9"))
                .containsExactly("process_cpu_time_ns_total");
    }
}
