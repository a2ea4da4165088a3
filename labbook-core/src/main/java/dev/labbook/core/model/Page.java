package dev.labbook.core.model;

import java.util.List;

/**
 * One page of results.
 *
 * @param nextPageToken opaque token for the next page, or null on the last page
 */
public record Page<T>(List<T> items, String nextPageToken) {
    public Page {
        items = List.copyOf(items);
    }
}
