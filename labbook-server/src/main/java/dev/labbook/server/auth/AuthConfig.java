package dev.labbook.server.auth;

import dev.labbook.core.LabbookException;
import dev.labbook.store.auth.Permission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Access-control settings. Off by default (one user on localhost); on with {@code --auth}. The
 * file form is MLflow's {@code basic_auth.ini}: a {@code [mlflow]} section with
 * {@code default_permission}, {@code admin_username} and {@code admin_password}, plus Labbook's
 * {@code max_failed_logins}, {@code failed_login_window_seconds}, {@code session_hours} and
 * {@code cache_seconds}.
 *
 * @param adminPassword the first admin's password, or null to generate one on first start
 * @param maxFailedLogins failed logins per user and per address within the window before 429
 * @param cacheTtl how long a successful credential check is reused without the password hash
 * @param versionPoll how often the shared change counter is read, bounding how long another
 *     replica's change (a revoke, a permission) can go unseen here
 */
public record AuthConfig(boolean enabled, Permission defaultPermission, String adminUsername, String adminPassword,
        int maxFailedLogins, Duration failedLoginWindow, Duration sessionTtl, Duration cacheTtl, Duration versionPoll) {

    /** Access control off: every request passes, as before issue 14. */
    public static final AuthConfig OFF = new AuthConfig(false, Permission.READ, "admin", null, 5,
            Duration.ofMinutes(1), Duration.ofHours(12), Duration.ofSeconds(30), Duration.ofSeconds(1));

    @Override
    public String toString() {
        // the admin password never reaches a log line through this record
        return "AuthConfig[enabled=" + enabled + ", defaultPermission=" + defaultPermission + ", adminUsername="
                + adminUsername + "]";
    }

    /** These settings with access control on. */
    public AuthConfig on() {
        return new AuthConfig(true, defaultPermission, adminUsername, adminPassword, maxFailedLogins, failedLoginWindow,
                sessionTtl, cacheTtl, versionPoll);
    }

    public AuthConfig withAdminPassword(String password) {
        return new AuthConfig(enabled, defaultPermission, adminUsername, password, maxFailedLogins, failedLoginWindow,
                sessionTtl, cacheTtl, versionPoll);
    }

    public AuthConfig withDefaultPermission(Permission p) {
        return new AuthConfig(enabled, p, adminUsername, adminPassword, maxFailedLogins, failedLoginWindow, sessionTtl,
                cacheTtl, versionPoll);
    }

    public AuthConfig withThrottle(int maxFailedLogins, Duration window) {
        return new AuthConfig(enabled, defaultPermission, adminUsername, adminPassword, maxFailedLogins, window, sessionTtl,
                cacheTtl, versionPoll);
    }

    public AuthConfig withVersionPoll(Duration poll) {
        return new AuthConfig(enabled, defaultPermission, adminUsername, adminPassword, maxFailedLogins, failedLoginWindow,
                sessionTtl, cacheTtl, poll);
    }

    /**
     * Access control on, from an ini file (null for none) and the environment: the admin password
     * comes from {@code LABBOOK_ADMIN_PASSWORD} (or MLflow's {@code MLFLOW_AUTH_ADMIN_PASSWORD}),
     * else the file, else it is generated on first start.
     */
    public static AuthConfig load(Path ini, Map<String, String> env) {
        Map<String, String> keys = ini == null ? Map.of() : readIni(ini);
        AuthConfig c = OFF.on();
        Permission def = keys.containsKey("default_permission") ? Permission.parse(keys.get("default_permission").trim())
                : c.defaultPermission();
        String admin = keys.getOrDefault("admin_username", c.adminUsername()).trim();
        String password = firstNonBlank(env.get("LABBOOK_ADMIN_PASSWORD"), env.get("MLFLOW_AUTH_ADMIN_PASSWORD"),
                keys.get("admin_password"));
        int maxFailed = intKey(keys, "max_failed_logins", c.maxFailedLogins());
        Duration window = Duration.ofSeconds(intKey(keys, "failed_login_window_seconds", (int) c.failedLoginWindow().toSeconds()));
        Duration session = Duration.ofHours(intKey(keys, "session_hours", (int) c.sessionTtl().toHours()));
        Duration cache = Duration.ofSeconds(intKey(keys, "cache_seconds", (int) c.cacheTtl().toSeconds()));
        if (admin.isEmpty()) {
            throw LabbookException.invalid("admin_username in %s must not be empty", ini);
        }
        return new AuthConfig(true, def, admin, password, maxFailed, window, session, cache, c.versionPoll());
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static int intKey(Map<String, String> keys, String key, int fallback) {
        String v = keys.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw LabbookException.invalid("%s must be a whole number, not '%s'", key, v.trim());
        }
    }

    /** The keys of the {@code [mlflow]} section (or of no section) of an ini file. */
    static Map<String, String> readIni(Path ini) {
        Map<String, String> out = new HashMap<>();
        String section = "";
        try {
            for (String raw : Files.readAllLines(ini)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1).trim();
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq > 0 && (section.isEmpty() || section.equals("mlflow"))) {
                    out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw LabbookException.invalid("Cannot read the auth config %s: %s", ini, e.getMessage());
        }
        return out;
    }
}
