package dev.labbook.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from text: fields separated by a delimiter, optionally quoted with
 * {@code "}, quotes doubled inside quoted fields, line breaks (LF or CRLF) inside quotes kept.
 */
final class CsvParser {
    private final String text;
    private final char delimiter;
    private final boolean quoting;
    private int pos;
    private int line = 1;

    /** @param quoting false for TSV, whose fields are never quoted */
    CsvParser(String text, char delimiter, boolean quoting) {
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.delimiter = delimiter;
        this.quoting = quoting;
    }

    /** The line the next record starts on, for messages. */
    int line() {
        return line;
    }

    /** The next record, or null at the end; blank lines are skipped. */
    List<String> next() {
        while (pos < text.length() && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
            if (text.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
        if (pos >= text.length()) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (quoted) {
                if (c == '"') {
                    if (pos < text.length() && text.charAt(pos) == '"') {
                        field.append('"');
                        pos++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && quoting && field.length() == 0) {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && pos < text.length() && text.charAt(pos) == '\n') {
                    pos++;
                }
                line++;
                break;
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
