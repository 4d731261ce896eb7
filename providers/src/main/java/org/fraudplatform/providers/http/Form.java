package org.fraudplatform.providers.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body, fields in the order they were added. */
public final class Form {

    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    public Form add(String name, Object value) {
        if (value != null) {
            fields.add(Map.entry(name, value.toString()));
        }
        return this;
    }

    public String encode() {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : fields) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8));
        }
        return body.toString();
    }

    /** The field names only: what a log line may show of a request. */
    @Override
    public String toString() {
        return fields.stream().map(Map.Entry::getKey).toList().toString();
    }
}
