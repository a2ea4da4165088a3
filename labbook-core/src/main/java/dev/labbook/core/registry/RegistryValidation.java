package dev.labbook.core.registry;

import dev.labbook.core.LabbookException;
import dev.labbook.core.validation.Limits;
import dev.labbook.core.validation.Validation;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The input rules of the model registry, checked by the store so that every way in (HTTP, the
 * SDK's local mode) gets the same INVALID_PARAMETER_VALUE errors.
 */
public final class RegistryValidation {
    /** The width of MLflow's name columns; longer names fail there, so they fail here too. */
    public static final int MAX_MODEL_NAME_LENGTH = 256;
    /** MLflow's limit on alias names. */
    public static final int MAX_ALIAS_LENGTH = 255;

    private static final Pattern ALIAS = Pattern.compile("[\\w\\-]+", Pattern.UNICODE_CHARACTER_CLASS);
    // "v3" would be ambiguous in models:/name@v3 URIs, which clients read as "version 3".
    private static final Pattern VERSION_LIKE = Pattern.compile("v\\d+");

    private RegistryValidation() {}

    /** A registered model name: present, not blank, at most {@link #MAX_MODEL_NAME_LENGTH} characters. */
    public static void validateModelName(String name) {
        if (name == null || name.isBlank()) {
            throw LabbookException.invalid("Registered model name cannot be empty.");
        }
        if (name.length() > MAX_MODEL_NAME_LENGTH) {
            throw LabbookException.invalid("Registered model name exceeds the maximum length of %d characters (got %d).",
                    MAX_MODEL_NAME_LENGTH, name.length());
        }
    }

    /**
     * The number in a version string such as {@code "3"}.
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE when it is not an integer
     */
    public static long parseVersion(String version) {
        if (version != null) {
            try {
                return Long.parseLong(version.trim());
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        // MLflow's own wording (its REST tests compare it)
        throw LabbookException.invalid("Parameter 'version' must be an integer, got '%s'.", version);
    }

    /** A tag of a registered model or version: a valid key and a value of at most 5000 characters. */
    public static void validateTag(String key, String value) {
        Validation.validateKey(key, "tag");
        if (value == null) {
            throw LabbookException.invalid("Tag value for key '%s' must not be null.", key);
        }
        if (value.length() > Limits.MAX_TAG_VALUE_LENGTH) {
            throw LabbookException.invalid("Tag value for key '%s' exceeds the maximum length of %d characters (got %d).",
                    key, Limits.MAX_TAG_VALUE_LENGTH, value.length());
        }
    }

    /**
     * An alias name: letters, digits, underscores and dashes, at most {@link #MAX_ALIAS_LENGTH}
     * characters, and neither {@code latest} nor {@code v<number>}, which model URIs reserve.
     */
    public static void validateAlias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw LabbookException.invalid("Registered model alias name cannot be empty.");
        }
        if (alias.length() > MAX_ALIAS_LENGTH) {
            throw LabbookException.invalid("Registered model alias name exceeds the maximum length of %d characters (got %d).",
                    MAX_ALIAS_LENGTH, alias.length());
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw LabbookException.invalid(
                    "Invalid alias name: '%s'. Names may only contain alphanumerics, underscores (_), and dashes (-).", alias);
        }
        String lower = alias.toLowerCase(Locale.ROOT);
        if (lower.equals("latest")) {
            throw LabbookException.invalid("'latest' alias name (case insensitive) is reserved.");
        }
        if (VERSION_LIKE.matcher(lower).matches()) {
            throw LabbookException.invalid("Version alias name '%s' is reserved.", alias);
        }
    }
}
