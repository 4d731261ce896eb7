package org.fraudplatform.platform;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads: what a dashboard or an alert needs exported. */
final class PromQl {

    private static final Set<String> NOT_METRICS =
            Set.of(
                    "sum",
                    "min",
                    "max",
                    "avg",
                    "count",
                    "rate",
                    "irate",
                    "increase",
                    "delta",
                    "histogram_quantile",
                    "by",
                    "without",
                    "on",
                    "ignoring",
                    "group_left",
                    "group_right",
                    "and",
                    "or",
                    "unless",
                    "bool",
                    "offset",
                    "abs",
                    "absent",
                    "clamp_min",
                    "clamp_max",
                    "topk",
                    "bottomk",
                    "quantile",
                    "stddev",
                    "max_over_time",
                    "min_over_time",
                    "avg_over_time",
                    "e");

    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {}

    static Set<String> metricNames(String expr) {
        String bare =
                expr.replaceAll("\\{[^}]*}", " ") // label matchers
                        .replaceAll("\\[[^]]*]", " ") // range durations
                        .replaceAll(
                                "\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ") // label lists
                        .replaceAll("\\d+(\\.\\d+)?([eE][+-]?\\d+)?", " "); // numbers
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!NOT_METRICS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
