package dev.labbook.cli;

import dev.labbook.core.LabbookException;
import java.net.BindException;

/** Turns a failure into one line a person can act on. */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "the address is already in use (" + t.getMessage() + "); pass another --port or stop the other server";
            }
            if (t instanceof LabbookException le) {
                return le.getMessage();
            }
        }
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
