package org.fraudplatform.api.console;

import static org.fraudplatform.api.console.Html.esc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The console's overview of the last hour: decisions per minute by action (an inline SVG chart,
 * with the totals as a table), the most frequent reasons, the review queue's size and age, and the
 * dead letters. Read from the decisions projection's counts per minute ({@code decision_minutes},
 * {@code decision_reason_minutes}: at most 60 rows per action and reason whatever the volume) and
 * {@code payment_history}.
 */
final class Overview {

    static final int MINUTES = 60;

    /** Room above the chart's top line for its label. */
    private static final int PAD = 10;

    private static final List<String> ACTIONS = List.of("APPROVE", "REVIEW", "DECLINE");

    private Overview() {}

    /** What the page shows, read at {@code now}. */
    record Numbers(
            long[][] perMinute,
            List<Reason> topReasons,
            long queue,
            Instant oldestInQueue,
            List<DeadLetterCounts.Count> deadLetters,
            Instant now) {

        long total(int action) {
            long sum = 0;
            for (long[] minute : perMinute) {
                sum += minute[action];
            }
            return sum;
        }
    }

    record Reason(String code, long decisions) {}

    static Numbers read(Connection c, Instant now, List<DeadLetterCounts.Count> deadLetters)
            throws SQLException {
        // whole minutes: the chart's last bar is the minute now is in
        long lastMinute = now.getEpochSecond() / 60;
        Instant from = Instant.ofEpochSecond((lastMinute - MINUTES + 1) * 60);
        long[][] perMinute = new long[MINUTES][ACTIONS.size()];
        Timestamp since = Timestamp.from(from);
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT minute, action, decisions FROM decision_minutes WHERE minute >= ?"
                                + " AND minute <= ?")) {
            s.setTimestamp(1, since);
            s.setTimestamp(2, Timestamp.from(Instant.ofEpochSecond(lastMinute * 60)));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long at = r.getTimestamp(1).toInstant().getEpochSecond() / 60;
                    int minute = (int) (at - (lastMinute - MINUTES + 1));
                    int action = ACTIONS.indexOf(r.getString(2));
                    if (minute >= 0 && minute < MINUTES && action >= 0) {
                        perMinute[minute][action] += r.getLong(3);
                    }
                }
            }
        }
        List<Reason> reasons = new java.util.ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT code, sum(decisions) FROM decision_reason_minutes WHERE minute >="
                                + " ? GROUP BY code ORDER BY 2 DESC, 1 LIMIT 10")) {
            s.setTimestamp(1, since);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    reasons.add(new Reason(r.getString(1), r.getLong(2)));
                }
            }
        }
        long queue;
        Instant oldest;
        try (PreparedStatement s =
                        c.prepareStatement(
                                "SELECT count(*), min(created_at) FROM payment_history WHERE"
                                        + " under_review");
                ResultSet r = s.executeQuery()) {
            r.next();
            queue = r.getLong(1);
            Timestamp t = r.getTimestamp(2);
            oldest = t == null ? null : t.toInstant();
        }
        return new Numbers(perMinute, reasons, queue, oldest, deadLetters, now);
    }

    static String render(Numbers n) {
        StringBuilder out = new StringBuilder();
        out.append("<div class=\"tiles\">");
        tile(out, "Decisions, last hour", Long.toString(n.total(0) + n.total(1) + n.total(2)));
        tile(
                out,
                "Review queue",
                n.queue()
                        + (n.oldestInQueue() == null
                                ? ""
                                : ", oldest " + age(n.oldestInQueue(), n.now())));
        long dead = 0;
        boolean unknown = false;
        for (DeadLetterCounts.Count c : n.deadLetters()) {
            if (c.lastHour() < 0) {
                unknown = true;
            } else {
                dead += c.lastHour();
            }
        }
        tile(
                out,
                "Dead letters, last hour",
                unknown && dead == 0 ? "unknown" : Long.toString(dead));
        out.append("</div>");
        out.append("<h2 id=\"per-minute\">Decisions per minute, by action</h2>")
                .append(chart(n))
                .append(
                        "<table class=\"narrow\"><caption>Decisions in the last hour</caption>"
                                + "<thead><tr><th scope=\"col\">Action</th>"
                                + "<th scope=\"col\">Decisions</th><th scope=\"col\">Busiest"
                                + " minute</th></tr></thead><tbody>");
        for (int a = 0; a < ACTIONS.size(); a++) {
            long busiest = 0;
            for (long[] minute : n.perMinute()) {
                busiest = Math.max(busiest, minute[a]);
            }
            String action = ACTIONS.get(a).toLowerCase(Locale.ROOT);
            out.append("<tr><td class=\"")
                    .append(action)
                    .append("\">")
                    .append(action)
                    .append("</td><td class=\"num\">")
                    .append(n.total(a))
                    .append("</td><td class=\"num\">")
                    .append(busiest)
                    .append("</td></tr>");
        }
        out.append("</tbody></table>");
        out.append("<h2>Top reasons, last hour</h2>");
        if (n.topReasons().isEmpty()) {
            out.append("<p class=\"role\">No decision gave a reason in the last hour.</p>");
        } else {
            out.append(
                    "<table class=\"narrow\"><thead><tr><th scope=\"col\">Reason</th>"
                            + "<th scope=\"col\">Decisions</th></tr></thead><tbody>");
            for (Reason r : n.topReasons()) {
                out.append("<tr><td><a href=\"/console?reason=")
                        .append(Html.url(r.code()))
                        .append("\">")
                        .append(esc(r.code()))
                        .append("</a></td><td class=\"num\">")
                        .append(r.decisions())
                        .append("</td></tr>");
            }
            out.append("</tbody></table>");
        }
        out.append("<h2>Dead letters</h2><table class=\"narrow\"><thead><tr>")
                .append("<th scope=\"col\">Topic</th><th scope=\"col\">Last hour</th>")
                .append("<th scope=\"col\">Kept in all</th></tr></thead><tbody>");
        for (DeadLetterCounts.Count c : n.deadLetters()) {
            out.append("<tr><td><code>")
                    .append(esc(c.topic()))
                    .append("</code></td><td class=\"num\">")
                    .append(c.lastHour() < 0 ? "unknown" : Long.toString(c.lastHour()))
                    .append("</td><td class=\"num\">")
                    .append(c.total() < 0 ? "unknown" : Long.toString(c.total()))
                    .append("</td></tr>");
        }
        out.append("</tbody></table><p class=\"role\">Records that no consumer could handle, with")
                .append(" the reason in each; counted from the topics' offsets.</p>");
        return out.toString();
    }

    /** A stacked bar per minute, oldest on the left; no script, no style attribute. */
    static String chart(Numbers n) {
        int barWidth = 12;
        int height = 160;
        int left = 40;
        int width = left + MINUTES * barWidth + 10;
        long max = 1;
        for (long[] minute : n.perMinute()) {
            max = Math.max(max, minute[0] + minute[1] + minute[2]);
        }
        long top = niceCeiling(max);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" aria-labelledby=\"per-minute chart-desc\"")
                .append(" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(PAD + height + 30)
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(PAD + height + 30)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\"><desc id=\"chart-desc\">")
                .append(n.total(0))
                .append(" approved, ")
                .append(n.total(1))
                .append(" sent to review and ")
                .append(n.total(2))
                .append(" declined in the last ")
                .append(MINUTES)
                .append(" minutes</desc>");
        long ticks = top % 4 == 0 ? 4 : top % 5 == 0 ? 5 : top % 2 == 0 ? 2 : 1;
        for (long i = 0; i <= ticks; i++) {
            long value = top * i / ticks;
            int y = PAD + height - (int) (height * i / ticks);
            svg.append("<line class=\"grid\" x1=\"")
                    .append(left)
                    .append("\" x2=\"")
                    .append(width - 10)
                    .append("\" y1=\"")
                    .append(y)
                    .append("\" y2=\"")
                    .append(y)
                    .append("\"/><text x=\"")
                    .append(left - 4)
                    .append("\" y=\"")
                    .append(y + 4)
                    .append("\" text-anchor=\"end\">")
                    .append(value)
                    .append("</text>");
        }
        String[] classes = {"bar-approve", "bar-review", "bar-decline"};
        for (int m = 0; m < MINUTES; m++) {
            int x = left + m * barWidth + 1;
            int y = PAD + height;
            for (int a = 0; a < ACTIONS.size(); a++) {
                long v = n.perMinute()[m][a];
                if (v == 0) {
                    continue;
                }
                int h = (int) Math.max(1, Math.round((double) v * height / top));
                y -= h;
                svg.append("<rect class=\"")
                        .append(classes[a])
                        .append("\" x=\"")
                        .append(x)
                        .append("\" y=\"")
                        .append(y)
                        .append("\" width=\"")
                        .append(barWidth - 2)
                        .append("\" height=\"")
                        .append(h)
                        .append("\"><title>")
                        .append(v)
                        .append(' ')
                        .append(ACTIONS.get(a).toLowerCase(Locale.ROOT))
                        .append(", ")
                        .append(MINUTES - 1 - m)
                        .append(" min ago</title></rect>");
            }
        }
        svg.append("<text x=\"")
                .append(left)
                .append("\" y=\"")
                .append(PAD + height + 20)
                .append("\">60 min ago</text><text x=\"")
                .append(width - 10)
                .append("\" y=\"")
                .append(PAD + height + 20)
                .append("\" text-anchor=\"end\">now</text></svg>");
        svg.append("<p class=\"legend\"><span class=\"key bar-approve\"></span> approve ")
                .append("<span class=\"key bar-review\"></span> review ")
                .append("<span class=\"key bar-decline\"></span> decline</p>");
        return svg.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code max}: the chart's top line. */
    static long niceCeiling(long max) {
        long p = 1;
        while (true) {
            for (long f : new long[] {1, 2, 5}) {
                if (f * p >= max) {
                    return f * p;
                }
            }
            p *= 10;
        }
    }

    private static void tile(StringBuilder out, String name, String value) {
        out.append("<div class=\"tile card\"><div class=\"role\">")
                .append(esc(name))
                .append("</div><div class=\"big\">")
                .append(esc(value))
                .append("</div></div>");
    }

    private static String age(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        if (d.toMinutes() < 1) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        if (d.toDays() < 1) {
            return d.toHours() + " h";
        }
        return d.toDays() + " d";
    }
}
