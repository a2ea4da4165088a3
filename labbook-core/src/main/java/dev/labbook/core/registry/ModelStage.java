package dev.labbook.core.registry;

import dev.labbook.core.LabbookException;
import java.util.Locale;

/**
 * The deployment stage of a model version. Requests may name a stage in any case
 * ({@code production}); responses always carry the canonical spelling ({@code Production}),
 * which is what {@link #toString()} returns.
 */
public enum ModelStage {
    NONE("None"), STAGING("Staging"), PRODUCTION("Production"), ARCHIVED("Archived");

    private final String canonical;

    ModelStage(String canonical) {
        this.canonical = canonical;
    }

    /** The canonical wire form: {@code None}, {@code Staging}, {@code Production}, {@code Archived}. */
    @Override
    public String toString() {
        return canonical;
    }

    /** True for Staging and Production, the stages that existing versions may be archived out of. */
    public boolean active() {
        return this == STAGING || this == PRODUCTION;
    }

    /**
     * The stage called {@code name}, ignoring case and surrounding blanks.
     *
     * @throws LabbookException INVALID_PARAMETER_VALUE for anything else, null included
     */
    public static ModelStage parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (ModelStage s : values()) {
                if (s.canonical.toLowerCase(Locale.ROOT).equals(n)) {
                    return s;
                }
            }
        }
        throw LabbookException.invalid(
                "Invalid Model Version stage: %s. Value must be one of None, Staging, Production, Archived.", name);
    }
}
