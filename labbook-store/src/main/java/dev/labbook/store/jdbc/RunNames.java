package dev.labbook.store.jdbc;

import java.util.concurrent.ThreadLocalRandom;

/** Memorable run names such as {@code brave-otter-417}, as MLflow gives unnamed runs. */
final class RunNames {
    private static final String[] ADJECTIVES = {
        "agile", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "eager", "gentle",
        "glad", "grand", "keen", "kind", "lively", "lucky", "merry", "nimble", "proud", "quick",
        "quiet", "rapid", "shy", "silent", "smart", "swift", "tidy", "vivid", "warm", "wise"};
    private static final String[] NOUNS = {
        "ant", "bat", "bear", "bee", "crab", "crane", "deer", "dove", "eel", "finch", "fox", "frog",
        "gnu", "hare", "hawk", "ibis", "koala", "lark", "lynx", "mole", "moth", "newt", "otter", "owl",
        "panda", "seal", "shrew", "slug", "swan", "toad", "wolf", "yak"};

    private RunNames() {}

    static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ADJECTIVES[r.nextInt(ADJECTIVES.length)] + "-" + NOUNS[r.nextInt(NOUNS.length)] + "-" + r.nextInt(1000);
    }
}
