package org.fraudplatform.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Text from callers never carries control characters (U+0000–U+001F, U+007F–U+009F): a NUL is
 * refused by PostgreSQL and would stop every projection that stores the value, a line break forges
 * log lines and journal rows, and no id, reference, address or note needs one. Every JSON body that
 * reaches the platform is checked here first; an offending field is named in the 400 reply.
 */
public final class ControlCharacters {

    private ControlCharacters() {}

    /** The paths ({@code customer.id}, {@code items[2].name}) of the text values that hold one. */
    public static List<String> fieldsWith(JsonNode root) {
        List<String> found = new ArrayList<>();
        collect(root, "", found);
        return found;
    }

    /** True when {@code s} holds a control character. */
    public static boolean in(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static void collect(JsonNode node, String path, List<String> found) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            if (in(node.asText())) {
                found.add(path);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                String child = path.isEmpty() ? name : path + "." + name;
                if (in(name)) {
                    found.add(child);
                } else {
                    collect(field.getValue(), child, found);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", found);
            }
        }
    }
}
