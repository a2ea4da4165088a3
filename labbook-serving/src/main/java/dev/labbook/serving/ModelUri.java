package dev.labbook.serving;

import dev.labbook.core.LabbookException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A model URI as MLflow has them: {@code models:/NAME/VERSION}, {@code models:/NAME@ALIAS},
 * {@code models:/NAME/STAGE} or {@code models:/NAME/latest}, {@code runs:/RUN_ID/PATH}, a local
 * directory or a {@code file:} URI.
 *
 * @param kind which of the forms it is
 * @param name the registered model's name (registry forms), else null
 * @param reference the version number, the alias, the stage ({@code Production}, {@code latest}), or
 *     the artifact path of a run
 * @param runId the run of a {@code runs:/} URI, else null
 * @param local the directory of a local model, else null
 */
public record ModelUri(Kind kind, String name, String reference, String runId, Path local) {

    /** The forms a model URI can take. */
    public enum Kind { VERSION, ALIAS, STAGE, RUN, LOCAL }

    /** Parses {@code text}; anything without a known scheme is a local path. */
    public static ModelUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw LabbookException.invalid("No model URI given: pass -m models:/NAME/VERSION, models:/NAME@ALIAS, runs:/RUN_ID/model or a directory");
        }
        String t = text.trim();
        if (t.startsWith("models:/")) {
            String rest = stripSlashes(t.substring("models:/".length()));
            int at = rest.lastIndexOf('@');
            if (at > 0 && at < rest.length() - 1 && rest.indexOf('/') < 0) {
                return new ModelUri(Kind.ALIAS, rest.substring(0, at), rest.substring(at + 1), null, null);
            }
            int slash = rest.lastIndexOf('/');
            if (slash > 0 && slash < rest.length() - 1 && rest.substring(slash + 1).matches("[0-9]+")) {
                return new ModelUri(Kind.VERSION, rest.substring(0, slash), rest.substring(slash + 1), null, null);
            }
            if (slash > 0 && slash < rest.length() - 1 && rest.indexOf('/') == slash) {
                // a stage (None, Staging, Production, Archived) or "latest", checked when it is resolved
                return new ModelUri(Kind.STAGE, rest.substring(0, slash), rest.substring(slash + 1), null, null);
            }
            throw LabbookException.invalid("Model URI '%s' is not models:/NAME/VERSION, models:/NAME@ALIAS or models:/NAME/STAGE", t);
        }
        if (t.startsWith("runs:/")) {
            String rest = stripSlashes(t.substring("runs:/".length()));
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw LabbookException.invalid("Model URI '%s' is not runs:/RUN_ID/PATH (e.g. runs:/<run id>/model)", t);
            }
            return new ModelUri(Kind.RUN, null, rest.substring(slash + 1), rest.substring(0, slash), null);
        }
        if (t.startsWith("file:")) {
            try {
                return new ModelUri(Kind.LOCAL, null, null, null, Path.of(URI.create(t.startsWith("file://") ? t : "file://" + t.substring(5))));
            } catch (IllegalArgumentException e) {
                throw LabbookException.invalid("Model URI '%s' is not a valid file: URI", t);
            }
        }
        if (t.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*") && !t.matches("^[a-zA-Z]:[/\\\\].*")) {
            throw LabbookException.invalid("Model URI '%s' has an unsupported scheme: use models:/, runs:/, file: or a directory", t);
        }
        return new ModelUri(Kind.LOCAL, null, null, null, Path.of(t));
    }

    /** Whether the model's files come from a tracking server. */
    public boolean remote() {
        return kind != Kind.LOCAL;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VERSION, STAGE -> "models:/" + name + "/" + reference;
            case ALIAS -> "models:/" + name + "@" + reference;
            case RUN -> "runs:/" + runId + "/" + reference;
            case LOCAL -> local.toString();
        };
    }

    private static String stripSlashes(String s) {
        String r = s;
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
