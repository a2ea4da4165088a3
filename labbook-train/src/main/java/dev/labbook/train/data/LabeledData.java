package dev.labbook.train.data;

import dev.labbook.core.LabbookException;
import java.util.List;

/**
 * A data set split into train and test texts, with its provenance. The test part is used only
 * for the final evaluation; a validation part is carved from train by {@link Splits}.
 */
public record LabeledData(List<Review> train, List<Review> test, DataInfo info) {
    public LabeledData {
        train = List.copyOf(train);
        test = List.copyOf(test);
    }

    /** Fails with an actionable message when a part is empty or holds only one class. */
    public LabeledData requireUsable() {
        requireBothClasses("train", train);
        requireBothClasses("test", test);
        return this;
    }

    private void requireBothClasses(String part, List<Review> reviews) {
        if (reviews.isEmpty()) {
            throw LabbookException.invalid("the %s part of %s is empty: no labeled texts were found", part, info.source());
        }
        long pos = reviews.stream().filter(r -> r.label() == Review.POSITIVE).count();
        if (pos == 0 || pos == reviews.size()) {
            throw LabbookException.invalid("the %s part of %s holds only %s texts; a classifier needs both classes",
                    part, info.source(), pos == 0 ? "negative" : "positive");
        }
    }
}
