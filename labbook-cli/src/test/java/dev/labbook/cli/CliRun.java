package dev.labbook.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** One {@code labbook} command run in this JVM: exit code, standard output and the error line(s). */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        return of(line -> { }, args);
    }

    /**
     * Runs the command, handing each line it prints to {@code onLine} on the printing thread
     * before the command goes on (so a test can act at a precise point of its progress).
     */
    static CliRun of(Consumer<String> onLine, String... args) {
        var cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        Lines out = new Lines(onLine);
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = cl.execute(args);
            return new CliRun(code, out.all.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(previous);
        }
    }

    /** Keeps everything written and calls back once per complete line. */
    private static final class Lines extends OutputStream {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final Consumer<String> onLine;

        Lines(Consumer<String> onLine) {
            this.onLine = onLine;
        }

        @Override
        public synchronized void write(int b) {
            all.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                onLine.accept(text);
            } else {
                line.write(b);
            }
        }
    }
}
