package dev.labbook.sweep.config;

/** How a sweep picks the next parameters. W&B's {@code bayes} is TPE here. */
public enum Method {
    GRID, RANDOM, TPE;

    /** The method named in a sweep file. */
    static Method of(String name) {
        return switch (name) {
            case "grid" -> GRID;
            case "random" -> RANDOM;
            case "bayes", "tpe" -> TPE;
            default -> null;
        };
    }
}
