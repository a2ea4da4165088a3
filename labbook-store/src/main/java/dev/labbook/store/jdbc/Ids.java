package dev.labbook.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Experiment ids are numbers in the database and strings on the wire. */
final class Ids {
    private Ids() {}

    /** The numeric id, or empty when {@code id} is not one (then no such entity exists). */
    static OptionalLong experiment(String id) {
        if (id == null || id.isEmpty() || id.length() > 18) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < id.length(); i++) {
            if (!Character.isDigit(id.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(id));
    }

    /** The numeric ids among {@code ids}, in order; ids that are not numbers name no experiment and are left out. */
    static List<Long> experiments(List<String> ids) {
        List<Long> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            experiment(id).ifPresent(out::add);
        }
        return out;
    }
}
