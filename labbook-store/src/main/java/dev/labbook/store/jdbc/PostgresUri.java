package dev.labbook.store.jdbc;

import dev.labbook.core.LabbookException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL backend store URI, in the forms MLflow users have in their scripts
 * ({@code postgresql://USER:PASSWORD@HOST:PORT/DB}, {@code postgresql+psycopg2://...},
 * {@code postgres://...}) or as a JDBC URL ({@code jdbc:postgresql://HOST:PORT/DB?user=U&password=P}).
 * The password is kept apart from the JDBC URL, so that the URL can be logged and shown in errors.
 *
 * @param jdbcUrl  {@code jdbc:postgresql://HOST:PORT/DB} with the URI's other query parameters,
 *                 never the user or the password
 * @param user     the user name, or null for the driver's default
 * @param password the password, or null
 */
public record PostgresUri(String jdbcUrl, String user, String password) {

    /** True when the URI names a PostgreSQL database (whatever its other faults). */
    public static boolean matches(String uri) {
        return uri.startsWith("postgresql:") || uri.startsWith("postgresql+") || uri.startsWith("postgres:")
                || uri.startsWith("jdbc:postgresql:");
    }

    /** Parses a PostgreSQL URI; INVALID_PARAMETER_VALUE, with the password masked, when malformed. */
    public static PostgresUri parse(String uri) {
        String rest;
        if (uri.startsWith("jdbc:postgresql://")) {
            rest = uri.substring("jdbc:postgresql://".length());
        } else {
            int sep = uri.indexOf("://");
            if (sep < 0) {
                throw bad(uri);
            }
            rest = uri.substring(sep + 3);
        }
        String user = null;
        String password = null;
        // The user info ends at the last '@': a password may hold an unencoded '@' or '/', the host not.
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        int q = rest.indexOf('?');
        String hostAndDb = q < 0 ? rest : rest.substring(0, q);
        List<String> kept = new ArrayList<>();
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> kept.add(pair);
                }
            }
        }
        int slash = hostAndDb.indexOf('/');
        String host = slash < 0 ? hostAndDb : hostAndDb.substring(0, slash);
        String db = slash < 0 ? "" : hostAndDb.substring(slash + 1);
        if (db.isEmpty() || db.contains("/")) {
            throw LabbookException.invalid(
                    "Invalid PostgreSQL backend store URI '%s': name the database, as in postgresql://USER:PASSWORD@HOST:5432/DB",
                    redact(uri));
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        String url = "jdbc:postgresql://" + host + "/" + db + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return new PostgresUri(url, user == null || user.isEmpty() ? null : user, password);
    }

    /** The URI with any password replaced by {@code ***}: safe for logs and error messages. */
    public static String redact(String uri) {
        String out = uri.replaceAll("(//[^/@:]*:).*@", "$1***@");
        return out.replaceAll("([?&]password=)[^&]*", "$1***");
    }

    /** Where the database is, for messages: host, port and database, without credentials. */
    public String where() {
        String s = jdbcUrl.substring("jdbc:postgresql://".length());
        int q = s.indexOf('?');
        return (user == null ? "" : user + "@") + (q < 0 ? s : s.substring(0, q));
    }

    @Override
    public String toString() {
        return "PostgresUri[" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LabbookException.invalid("Invalid PostgreSQL backend store URI: a malformed %%-escape in its user,"
                    + " password or parameters (percent-encode special characters, as in p%%40ss for p@ss)");
        }
    }

    private static LabbookException bad(String uri) {
        return LabbookException.invalid(
                "Invalid PostgreSQL backend store URI '%s': use postgresql://USER:PASSWORD@HOST:5432/DB", redact(uri));
    }
}
