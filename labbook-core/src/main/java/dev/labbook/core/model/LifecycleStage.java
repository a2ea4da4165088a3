package dev.labbook.core.model;

import java.util.Locale;

/** Whether an experiment or run is live or soft-deleted. Serialized in lower case, as MLflow does. */
public enum LifecycleStage {
    ACTIVE, DELETED;

    /** The wire form: {@code active} or {@code deleted}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LifecycleStage parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
