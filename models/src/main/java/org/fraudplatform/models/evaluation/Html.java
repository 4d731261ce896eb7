package org.fraudplatform.models.evaluation;

/** Escaping for text placed in the HTML report, so a model name cannot break the page. */
final class Html {

    private Html() {}

    /** {@code text} with {@code & < > " '} as entities. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&':
                    s.append("&amp;");
                    break;
                case '<':
                    s.append("&lt;");
                    break;
                case '>':
                    s.append("&gt;");
                    break;
                case '"':
                    s.append("&quot;");
                    break;
                case '\'':
                    s.append("&#39;");
                    break;
                default:
                    s.append(c);
            }
        }
        return s.toString();
    }
}
