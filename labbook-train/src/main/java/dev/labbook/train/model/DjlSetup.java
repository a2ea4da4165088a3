package dev.labbook.train.model;

import java.nio.file.Path;

/**
 * DJL settings that must be in place before its engine loads: offline (no telemetry or model
 * zoo downloads) and the folder the PyTorch natives are unpacked into once (~450 MB).
 */
public final class DjlSetup {
    private DjlSetup() {}

    /** Sets {@code ai.djl.offline} and {@code ENGINE_CACHE_DIR} unless the user already has. */
    public static void configure() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR",
                    Path.of(System.getProperty("user.home"), ".cache", "labbook", "djl").toString());
        }
        // DJL reports a missing GPU and its thread settings on every start; on a CPU-only machine
        // that is noise. These keys only matter where slf4j-simple is the logging backend.
        quiet("ai.djl.util.cuda.CudaUtils", "error");
        quiet("ai.djl.util.Platform", "warn");
        quiet("ai.djl.pytorch.engine.PtEngine", "warn");
    }

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }
}
