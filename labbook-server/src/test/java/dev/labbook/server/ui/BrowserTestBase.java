package dev.labbook.server.ui;

import dev.labbook.server.TestConfigs;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real server and one real browser for a whole browser-test class: the class's
 * {@code @BeforeAll} calls {@link #startServer()}, seeds it over {@link #rest}, then
 * {@link #openBrowser()}; every test must leave the page without console errors. Test classes run
 * one after another (the suite is not parallel), so the shared fields hold one class's at a time.
 */
abstract class BrowserTestBase {
    @TempDir
    static Path dir;
    static LabbookServer server;
    /** {@code http://127.0.0.1:PORT} of {@link #server}. */
    static String base;
    static Rest rest;
    static Browser browser;

    /** Starts the server over a fresh data folder and a REST client for seeding it. */
    static void startServer() {
        server = LabbookServer.start(TestConfigs.embedded("127.0.0.1", 0, dir));
        base = "http://127.0.0.1:" + server.port();
        rest = new Rest(base);
    }

    /** Opens the browser on the seeded server. */
    static void openBrowser() {
        browser = new Browser(base);
    }

    @AfterEach
    void noConsoleErrors() {
        List<String> errors = browser.consoleErrors();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    @AfterAll
    static void stopServerAndBrowser() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            browser = null;
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }
}
