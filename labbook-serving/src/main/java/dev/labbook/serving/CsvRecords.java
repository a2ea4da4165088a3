package dev.labbook.serving;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records read incrementally from a {@link Reader}: comma-separated, fields optionally
 * quoted with {@code "} (doubled inside), line breaks inside quotes kept, LF or CRLF between
 * records, blank lines skipped, a leading byte-order mark dropped. Holds one record at a time, so
 * files of any size stream through.
 */
public final class CsvRecords {
    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private boolean started;
    private long line = 1;

    /** Records of {@code in}, read as they are asked for. */
    public CsvRecords(Reader in) {
        this.in = in;
    }

    /** The line the next record starts on, for messages. */
    public long line() {
        return line;
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    private int peek() throws IOException {
        int c = read();
        if (c >= 0) {
            pos--;
        }
        return c;
    }

    /** The next record, or null at the end of the input. */
    public List<String> next() throws IOException {
        int c = read();
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                c = read();
            }
        }
        while (c == '\n' || c == '\r') {
            if (c == '\n') {
                line++;
            }
            c = read();
        }
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (; c >= 0; c = read()) {
            if (quoted) {
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                break;
            } else {
                field.append((char) c);
            }
        }
        if (quoted) {
            throw new IOException("a quoted field opened before line " + line + " is never closed");
        }
        fields.add(field.toString());
        return fields;
    }

    /** {@code value} as a CSV field: quoted when it holds a comma, a quote or a line break. */
    public static String quote(String value) {
        if (value == null) {
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') {
                return '"' + value.replace("\"", "\"\"") + '"';
            }
        }
        return value;
    }
}
