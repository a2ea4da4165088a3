package dev.labbook.server;

import dev.labbook.core.provenance.BuildInfo;

/** Labbook's version, from the build (or "dev" when run from classes Maven did not build). */
public final class Version {
    private Version() {}

    public static String get() {
        return BuildInfo.current().version();
    }
}
