package dev.labbook.client;

import dev.labbook.server.LabbookServer;
import dev.labbook.server.ServerConfig;
import java.nio.file.Path;

/** A Labbook server in its own JVM, for tests that kill it: args port, data directory. */
public final class ChildServerMain {
    private ChildServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        LabbookServer server = LabbookServer.start(ServerConfig.embedded("127.0.0.1", Integer.parseInt(args[0]), Path.of(args[1])));
        System.out.println("READY " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
