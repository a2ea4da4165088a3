package dev.labbook.server.artifact;

import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** The headers an artifact download is sent with, following MLflow's choices. */
public final class ContentTypes {
    /** Extensions (and extension-less names) MLflow serves as text/plain so browsers show them. */
    private static final Set<String> TEXT = Set.of(
            "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml",
            "yaml", "yml", "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "mlmodel", "mlproject");
    static final String DEFAULT = "application/octet-stream";

    private ContentTypes() {}

    /** The content type for a file name: text/plain for known text, else the JDK's guess, else binary. */
    public static String guess(String name) {
        int dot = name.lastIndexOf('.');
        String ext = (dot < 0 ? name : name.substring(dot + 1)).toLowerCase(Locale.ROOT);
        if (TEXT.contains(ext)) {
            return "text/plain";
        }
        String guessed = URLConnection.guessContentTypeFromName(name);
        return guessed == null ? DEFAULT : guessed;
    }

    /**
     * A Content-Disposition that makes browsers save the file instead of rendering it on our
     * origin (an uploaded HTML file could otherwise run script there): an ASCII fallback name
     * plus the exact name in RFC 5987 encoding.
     */
    public static String attachment(String name) {
        StringBuilder ascii = new StringBuilder(name.length());
        StringBuilder encoded = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || "!#$&+-.^_`|~".indexOf(u) >= 0) {
                encoded.append((char) u);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
