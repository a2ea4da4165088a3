package dev.labbook.core.model;

import java.util.List;

/** A dataset used by a run, with tags saying how (for example its context: train or test). */
public record DatasetInput(List<InputTag> tags, Dataset dataset) {
    public DatasetInput {
        tags = List.copyOf(tags);
    }
}
