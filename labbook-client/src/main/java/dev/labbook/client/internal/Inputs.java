package dev.labbook.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.labbook.core.LabbookException;
import dev.labbook.core.model.Dataset;
import dev.labbook.core.model.DatasetInput;
import dev.labbook.core.model.InputTag;

/**
 * Dataset inputs in the spool: checked when logged (so a bad one fails on the caller's thread, not
 * as a rejected request later) and kept as the JSON of one entry of log-inputs' {@code datasets},
 * which is what the sender posts. Not part of the public API.
 */
public final class Inputs {
    private Inputs() {}

    /** Checks the fields MLflow requires: a dataset with name, digest, source type and source; tags with keys. */
    public static void validate(DatasetInput input) {
        if (input == null || input.dataset() == null) {
            throw LabbookException.invalid("A dataset input needs a dataset");
        }
        Dataset d = input.dataset();
        require(d.name(), "name");
        require(d.digest(), "digest");
        require(d.sourceType(), "source type");
        require(d.source(), "source");
        for (InputTag t : input.tags()) {
            if (t == null) {
                throw LabbookException.invalid("Dataset input tags cannot be null");
            }
            if (t.key() == null || t.key().isBlank() || t.value() == null) {
                throw LabbookException.invalid("Dataset input tags need a key and a value, got %s", t);
            }
        }
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw LabbookException.invalid("A dataset input needs a dataset %s (MLflow log-inputs requires it)", field);
        }
    }

    /** The JSON of {@code input} as log-inputs sends it (snake_case, absent fields left out). */
    public static String encode(DatasetInput input) {
        try {
            return Wire.JSON.writeValueAsString(input);
        } catch (JsonProcessingException e) {
            throw LabbookException.invalid("Cannot encode dataset input: %s", e.getOriginalMessage());
        }
    }

    /** Reads back what {@link #encode} wrote. */
    public static DatasetInput decode(String json) {
        try {
            return Wire.JSON.readValue(json, DatasetInput.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable dataset input in the spool: " + e.getOriginalMessage(), e);
        }
    }
}
