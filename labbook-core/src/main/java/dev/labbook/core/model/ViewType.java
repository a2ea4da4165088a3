package dev.labbook.core.model;

/** Which lifecycle stages a search returns. */
public enum ViewType {
    ACTIVE_ONLY, DELETED_ONLY, ALL;

    /** True when an entity in {@code stage} belongs in a search with this view type. */
    public boolean includes(LifecycleStage stage) {
        return switch (this) {
            case ACTIVE_ONLY -> stage == LifecycleStage.ACTIVE;
            case DELETED_ONLY -> stage == LifecycleStage.DELETED;
            case ALL -> true;
        };
    }
}
