package dev.labbook.core.search;

/** What a key in a filter or an order-by clause refers to: {@code metrics.acc}, {@code params.lr}, ... */
public enum KeyType {
    METRIC, PARAM, TAG, ATTRIBUTE, DATASET
}
