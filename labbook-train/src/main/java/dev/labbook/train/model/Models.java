package dev.labbook.train.model;

import dev.labbook.core.LabbookException;
import java.io.IOException;
import java.nio.file.Path;

/** Loads any saved Labbook sentiment model by the flavor in its {@code MLmodel} descriptor. */
public final class Models {
    private Models() {}

    /** Loads the model saved in {@code dir}. */
    public static SentimentModel load(Path dir) throws IOException {
        ModelDescriptor d = ModelDescriptor.read(dir);
        return switch (d.flavor()) {
            case NbLrModel.FLAVOR -> NbLrModel.load(dir, d);
            case FastTextModel.FLAVOR -> FastTextModel.load(dir, d);
            default -> throw LabbookException.invalid("%s holds a model of unknown flavor '%s'", dir, d.flavor());
        };
    }
}
