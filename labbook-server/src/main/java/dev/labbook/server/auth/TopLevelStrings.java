package dev.labbook.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labbook.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The string values of named fields of a JSON body's top-level object, found without parsing the
 * rest: log-batch bodies carry up to 1000 metrics, and the permission check only needs the run
 * id. The scan follows strings (with escapes) and nesting, so a key inside a nested object or a
 * string is never taken for a top-level one. Malformed JSON yields what was found so far; the
 * handler's parser then refuses the body.
 */
final class TopLevelStrings {
    private TopLevelStrings() {}

    static List<String> find(byte[] json, String... names) {
        List<String> out = new ArrayList<>(1);
        int depth = 0;
        int i = 0;
        int n = json.length;
        while (i < n) {
            byte b = json[i];
            if (b == '"') {
                int end = stringEnd(json, i);
                if (end < 0) {
                    return out;
                }
                if (depth == 1) {
                    int j = skipSpace(json, end + 1);
                    if (j < n && json[j] == ':' && matchesAny(json, i + 1, end, names)) {
                        int v = skipSpace(json, j + 1);
                        if (v < n && json[v] == '"') {
                            int vend = stringEnd(json, v);
                            if (vend < 0) {
                                return out;
                            }
                            out.add(decode(json, v, vend));
                            i = vend + 1;
                            continue;
                        }
                    }
                }
                i = end + 1;
                continue;
            }
            if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
            }
            i++;
        }
        return out;
    }

    /** The index of the quote closing the string that opens at {@code start}; -1 when unterminated. */
    private static int stringEnd(byte[] json, int start) {
        for (int i = start + 1; i < json.length; i++) {
            if (json[i] == '\\') {
                i++;
            } else if (json[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean matchesAny(byte[] json, int from, int to, String[] names) {
        for (String name : names) {
            if (name.length() == to - from) {
                boolean same = true;
                for (int k = 0; k < name.length() && same; k++) {
                    same = json[from + k] == name.charAt(k);
                }
                if (same) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The string's value; one with escapes goes through Jackson to be read exactly as the handler will. */
    private static String decode(byte[] json, int open, int close) {
        for (int k = open + 1; k < close; k++) {
            if (json[k] == '\\') {
                try {
                    JsonNode node = Json.MAPPER.readTree(json, open, close - open + 1);
                    return node.asText();
                } catch (java.io.IOException e) {
                    return "";
                }
            }
        }
        return new String(json, open + 1, close - open - 1, StandardCharsets.UTF_8);
    }
}
