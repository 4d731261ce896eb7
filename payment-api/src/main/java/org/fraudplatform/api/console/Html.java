package org.fraudplatform.api.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.fraudplatform.api.http.HttpReply;

/** The console's pages: escaping, the frame every page shares, forms and replies. */
final class Html {

    private Html() {}

    /**
     * Every console reply: no framing, no caching, no inline script, no referrer to other sites.
     */
    static HttpReply page(int status, String body) {
        return secure(HttpReply.text(status, "text/html; charset=utf-8", body));
    }

    static HttpReply secure(HttpReply reply) {
        return reply.withHeader(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none';"
                                + " frame-ancestors 'none'")
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "same-origin")
                .withHeader("Cache-Control", "no-store");
    }

    /** A 303 to another page of the console. */
    static HttpReply redirect(String location) {
        return secure(HttpReply.text(303, "text/plain; charset=utf-8", ""))
                .withHeader("Location", location);
    }

    /** Text made safe for HTML content and attribute values. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String url(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** A link to a payment's case page. */
    static String paymentLink(String paymentId) {
        return "<a href=\"/console/payments/" + url(paymentId) + "\">" + esc(paymentId) + "</a>";
    }

    /** An amount in minor units with its currency, e.g. 10,000.00 EUR (not escaped). */
    static String money(long minor, String currency) {
        return String.format(
                java.util.Locale.ROOT, "%,d.%02d %s", minor / 100, Math.abs(minor % 100), currency);
    }

    /** The frame of a signed-in page: title, navigation, who is signed in, sign-out. */
    static String frame(String title, String who, String role, String csrf, String content) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>"
                + esc(title)
                + " · Fraud console</title><link rel=\"stylesheet\" href=\"/console/console.css\">"
                + "</head><body><a class=\"skip\" href=\"#main\">Skip to the main content</a>"
                + "<header><a class=\"brand\" href=\"/console\">Fraud console</a>"
                + "<nav aria-label=\"Console\"><a href=\"/console/overview\">Overview</a><a href=\"/console\">Reviews</a><a href=\"/console/search\">Search</a>"
                + "<a href=\"/console/lists\">Lists</a><a href=\"/console/rules\">Rules</a>"
                + "<a href=\"/console/models\">Models</a>"
                + "<a href=\"/console/reconciliation\">Reconciliation</a></nav><div class=\"who\">"
                + esc(who)
                + " <span class=\"role\">"
                + esc(role)
                + "</span><form method=\"post\" action=\"/console/logout\">"
                + csrfField(csrf)
                + "<button type=\"submit\">Sign out</button></form></div></header>"
                + "<main id=\"main\" tabindex=\"-1\"><h1>"
                + esc(title)
                + "</h1>"
                + content
                + "</main></body></html>";
    }

    /** A role with its article, for sentences: "An analyst", "A data-scientist". */
    static String aRole(String label) {
        return (label.matches("[aeiou].*") ? "An " : "A ") + label;
    }

    /**
     * A table's header row, each name a column header with its scope; an empty name heads a column
     * of buttons, named for screen readers only.
     */
    static String headerRow(String... names) {
        StringBuilder b = new StringBuilder("<thead><tr>");
        for (String name : names) {
            b.append("<th scope=\"col\">")
                    .append(name.isEmpty() ? "<span class=\"sr-only\">Action</span>" : esc(name))
                    .append("</th>");
        }
        return b.append("</tr></thead>").toString();
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    static final String CSS =
            """
            :root { --ink:#1d2330; --muted:#5b6578; --line:#d9dee7; --bg:#f6f7f9; --accent:#2457c5;
                    --bad:#b42318; --good:#127a3e; --warn:#7d5300; }
            * { box-sizing: border-box; }
            body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
                   color:var(--ink); background:var(--bg); }
            header { display:flex; align-items:center; gap:24px; padding:10px 24px;
                     background:#fff; border-bottom:1px solid var(--line); }
            .brand { font-weight:700; color:var(--ink); text-decoration:none; }
            nav a { margin-right:16px; color:var(--accent); text-decoration:none; }
            .who { margin-left:auto; display:flex; gap:10px; align-items:center; }
            .role { color:var(--muted); font-size:13px; }
            main { padding:16px 24px; max-width:1200px; }
            h1 { font-size:22px; margin:8px 0 16px; }
            h2 { font-size:17px; margin:24px 0 8px; }
            table { border-collapse:collapse; width:100%; background:#fff; }
            th, td { text-align:left; padding:6px 10px; border-bottom:1px solid var(--line);
                     vertical-align:top; }
            th { font-size:13px; color:var(--muted); font-weight:600; }
            td.num { text-align:right; font-variant-numeric: tabular-nums; white-space:nowrap; }
            .card { background:#fff; border:1px solid var(--line); border-radius:6px;
                    padding:12px 16px; margin-bottom:16px; }
            .grid { display:grid; grid-template-columns: 180px 1fr; gap:4px 16px; }
            .grid div:nth-child(odd) { color:var(--muted); }
            .decline, .reject { color:var(--bad); } .approve { color:var(--good); }
            .review { color:var(--warn); }
            .notice { padding:8px 12px; border-radius:4px; background:#eef4ff; margin-bottom:12px; }
            .error { background:#fdecea; color:var(--bad); }
            form.inline { display:inline; }
            input, select, textarea, button { font:inherit; padding:5px 8px; }
            button { cursor:pointer; border:1px solid var(--line); border-radius:4px; background:#fff; }
            button.approve { border-color:var(--good); }
            button.reject { border-color:var(--bad); }
            .login { max-width:360px; margin:80px auto; }
            .login label { display:block; margin:10px 0 4px; }
            .login input { width:100%; }
            .filters { display:flex; gap:10px; align-items:end; margin-bottom:12px; flex-wrap:wrap; }
            .filters label { display:flex; flex-direction:column; font-size:13px; color:var(--muted); }
            pre.code { background:#fff; border:1px solid var(--line); padding:10px; overflow:auto;
                       font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
            pre.code .add { background:#e6f4ea; display:block; }
            pre.code .del { background:#fdecea; display:block; }
            pre.code .same { display:block; }
            .tiles { display:flex; gap:16px; flex-wrap:wrap; }
            .tile { min-width:200px; }
            .big { font-size:24px; font-weight:600; }
            table.narrow { width:auto; min-width:360px; margin-bottom:8px; }
            caption { text-align:left; color:var(--muted); font-size:13px; padding:4px 0; }
            svg.chart { background:#fff; border:1px solid var(--line); max-width:100%; height:auto; }
            svg.chart text { font-size:11px; fill:var(--muted); }
            svg.chart line.grid { stroke:var(--line); }
            .bar-approve { fill:#2e9e5b; background:#2e9e5b; }
            .bar-review { fill:#d4a72c; background:#d4a72c; }
            .bar-decline { fill:#c93c2f; background:#c93c2f; }
            .legend .key { display:inline-block; width:12px; height:12px; margin-left:8px; }
            h3 { font-size:15px; margin:16px 0 6px; }
            a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible,
            textarea:focus-visible, main:focus-visible { outline:3px solid #2457c5;
                    outline-offset:2px; }
            .sr-only { position:absolute; width:1px; height:1px; padding:0; margin:-1px;
                       overflow:hidden; clip:rect(0,0,0,0); white-space:nowrap; border:0; }
            .skip { position:absolute; left:8px; top:-48px; padding:8px 12px; background:#fff;
                    color:var(--accent); border:2px solid var(--accent); z-index:10; }
            .skip:focus { top:8px; }
            """;
}
