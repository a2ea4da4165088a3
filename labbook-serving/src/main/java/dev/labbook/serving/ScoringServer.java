package dev.labbook.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.labbook.train.model.NbLrModel;
import dev.labbook.train.model.Prediction;
import dev.labbook.train.model.SentimentModel;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's scoring protocol over one loaded model: {@code GET /ping}, {@code GET /health} (200
 * once a model is loaded, 503 before), {@code GET /version} and {@code POST /invocations}. The
 * model is an immutable {@link LoadedModel} in a {@link ModelSlot} (an atomic reference): each
 * request takes it once and scores every row with it, so {@link #install} switches versions
 * without a failed or mixed answer. Rows are scored on a pool of {@code workers} threads; a request that
 * takes longer than the timeout is answered 504 and its scoring stops at the next row.
 */
public final class ScoringServer implements AutoCloseable {
    /** The response header naming the model version that answered. */
    public static final String VERSION_HEADER = "X-Labbook-Model-Version";
    private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();

    private final ServingOptions options;
    private static final String VERSION = labbookVersion();
    private final ModelSlot slot = new ModelSlot();
    private final ExecutorService scoring;
    private final Javalin app;

    private ScoringServer(ServingOptions options) {
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.scoring = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "scoring-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            // request threads mostly wait for the scoring pool: enough for many concurrent
            // clients on keep-alive connections, plus Jetty's acceptor and selectors
            QueuedThreadPool pool = new QueuedThreadPool(Math.max(128, options.workers() * 8), 4, 60_000);
            pool.setName("scoring-http");
            cfg.jetty.threadPool = pool;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            cfg.http.maxRequestSize = options.maxBodyBytes();
            cfg.routes.get("/ping", this::health);
            cfg.routes.get("/health", this::health);
            cfg.routes.get("/version", this::version);
            cfg.routes.post("/invocations", this::invocations);
            cfg.routes.exception(ScoringError.class, (e, ctx) -> writeError(ctx, e));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("Unexpected error serving {} {}", ctx.method(), ctx.path(), e);
                writeError(ctx, new ScoringError(500, "INTERNAL_ERROR", "Internal error; the server log has the details"));
            });
            cfg.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    writeError(ctx, new ScoringError(404, "ENDPOINT_NOT_FOUND", "No endpoint " + ctx.method() + " " + ctx.path()));
                }
            });
            cfg.routes.error(405, ctx -> writeError(ctx, new ScoringError(405, "ENDPOINT_NOT_FOUND",
                    "Method " + ctx.method() + " is not allowed on " + ctx.path())));
        });
    }

    /** Starts listening; {@code /health} answers 503 until {@link #install} gives it a model. */
    public static ScoringServer start(ServingOptions options) {
        ScoringServer s = new ScoringServer(options);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Makes {@code model} the one new requests are scored with; requests in flight finish on the one they started with. */
    public void install(LoadedModel model) {
        slot.install(model).filter(old -> !old.label().equals(model.label()))
                .ifPresent(old -> LOG.info("now serving {} (was {})", model.label(), old.label()));
    }

    /** The model new requests are scored with, once one is installed. */
    public Optional<LoadedModel> current() {
        return slot.peek();
    }

    /** The port it listens on (the chosen one when configured with port 0). */
    public int port() {
        return app.port();
    }

    /** How it was started. */
    public ServingOptions options() {
        return options;
    }

    @Override
    public void close() {
        app.stop();
        scoring.shutdownNow();
    }

    /** This build's version: the jar manifest's, else Maven's pom.properties inside the jar, else {@code dev}. */
    static String labbookVersion() {
        String v = ScoringServer.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = ScoringServer.class.getResourceAsStream("/META-INF/maven/dev.labbook/labbook-serving/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // no version to read: a build from classes
        }
        return "dev";
    }

    // --- routes

    private void health(Context ctx) {
        if (slot.peek().isEmpty()) {
            ctx.status(503).contentType("text/plain").result("loading");
        } else {
            ctx.status(200).contentType("text/plain").result("\n");
        }
    }

    private void version(Context ctx) throws IOException {
        LoadedModel m = slot.peek().orElse(null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("labbook_version", VERSION);
        body.put("loaded", m != null);
        if (m != null) {
            body.put("model_uri", m.uri());
            body.put("name", m.name());
            body.put("version", m.version());
            body.put("run_id", m.runId());
            body.put("flavor", m.model().flavor());
            ctx.header(VERSION_HEADER, m.label());
        }
        ctx.status(200).contentType("application/json").result(MAPPER.writeValueAsBytes(body));
    }

    private void invocations(Context ctx) throws IOException {
        String type = ctx.header("Content-Type");
        ScoringInput.mimeType(type);
        byte[] body = readBody(ctx);
        ModelSlot.Entry entry = slot.acquire();
        if (entry == null) {
            throw new ScoringError(503, "TEMPORARILY_UNAVAILABLE", "The model is still loading; retry when GET /health answers 200");
        }
        LoadedModel m = entry.model;
        double[] scores;
        try {
            List<String> texts = ScoringInput.parse(type, body, m.inputColumn());
            scores = score(m, texts);
        } finally {
            slot.release(entry);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + 48 * scores.length);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("predictions");
            for (double s : scores) {
                g.writeStartObject();
                g.writeStringField("label", Prediction.of(s).label());
                g.writeNumberField("score", s);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        ctx.header(VERSION_HEADER, m.label());
        ctx.status(200).contentType("application/json").result(out.toByteArray());
    }

    /** Rows per scoring task: a large request is spread over the whole pool, a small one is one task. */
    static final int ROWS_PER_TASK = 128;

    /**
     * Scores on the worker pool, waiting at most the timeout. A request of many rows is cut into
     * tasks of {@value #ROWS_PER_TASK} so that one batch uses every worker; all of them score
     * with the same model {@code m}.
     */
    private double[] score(LoadedModel m, List<String> texts) {
        double[] out = new double[texts.size()];
        List<Future<?>> parts = new java.util.ArrayList<>();
        try {
            for (int from = 0; from < out.length || parts.isEmpty(); from += ROWS_PER_TASK) {
                int lo = from;
                int hi = Math.min(out.length, from + ROWS_PER_TASK);
                parts.add(scoring.submit(() -> {
                    scoreInto(m.model(), texts, lo, hi, out);
                    return null;
                }));
            }
        } catch (RejectedExecutionException e) {
            parts.forEach(f -> f.cancel(true));
            throw new ScoringError(503, "TEMPORARILY_UNAVAILABLE", "The server is shutting down");
        }
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            for (Future<?> f : parts) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            // Future.get orders the tasks' writes into out before this thread's reads
            return out;
        } catch (TimeoutException e) {
            parts.forEach(f -> f.cancel(true));
            throw new ScoringError(504, "DEADLINE_EXCEEDED", "Scoring " + texts.size() + " rows took longer than the timeout ("
                    + options.timeout().toMillis() / 1000.0 + " s); send fewer rows per request or raise -t/--timeout");
        } catch (InterruptedException e) {
            parts.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ScoringError(503, "TEMPORARILY_UNAVAILABLE", "The server is shutting down");
        } catch (ExecutionException e) {
            parts.forEach(f -> f.cancel(true));
            LOG.error("Scoring failed", e.getCause());
            throw ScoringError.badRequest("Encountered an unexpected error while evaluating the model. Verify that the input is "
                    + "compatible with the model for inference.");
        }
    }

    /**
     * Scores rows {@code lo..hi} of {@code texts} into {@code out}. NB-LR scores row by row on
     * this thread, stopping when interrupted; other flavors score the rows as one batch (fastText
     * runs a batch through PyTorch at once, far faster than row by row).
     */
    static void scoreInto(SentimentModel model, List<String> texts, int lo, int hi, double[] out) {
        if (!(model instanceof NbLrModel)) {
            double[] s = model.scoreAll(texts.subList(lo, hi));
            System.arraycopy(s, 0, out, lo, s.length);
            return;
        }
        for (int i = lo; i < hi; i++) {
            if (Thread.interrupted()) {
                throw new CancellationException("timed out");
            }
            out[i] = model.score(texts.get(i));
        }
    }

    /** The body, refusing more than the limit whether or not a Content-Length announced it. */
    private byte[] readBody(Context ctx) throws IOException {
        long limit = options.maxBodyBytes();
        long declared = ctx.req().getContentLengthLong();
        byte[] buf = new byte[16384];
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > limit) {
                throw tooLarge(ctx, in, buf, 0);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            for (int r; (r = in.read(buf)) > 0; ) {
                out.write(buf, 0, r);
                if (out.size() > limit) {
                    throw tooLarge(ctx, in, buf, out.size());
                }
            }
            return out.toByteArray();
        }
    }

    /**
     * The 413 error. A client still sending its body when the answer comes sees a broken pipe
     * instead of the answer, so a body up to four times the limit is read to its end (and
     * dropped) first; beyond that the connection is closed after the answer.
     */
    private ScoringError tooLarge(Context ctx, InputStream in, byte[] buf, long read) throws IOException {
        long limit = options.maxBodyBytes();
        long drained = read;
        for (int r; drained <= 4 * limit && (r = in.read(buf)) > 0; ) {
            drained += r;
        }
        if (drained > 4 * limit) {
            ctx.header("Connection", "close");
        }
        return new ScoringError(413, "REQUEST_LIMIT_EXCEEDED", "The request body is larger than the limit of " + limit
                + " bytes; send fewer rows per request, or score files with 'labbook models predict'");
    }

    private static void writeError(Context ctx, ScoringError e) {
        ctx.status(e.status());
        if (e.code() == null) {
            ctx.contentType("text/plain; charset=utf-8").result(e.getMessage());
            return;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("error_code", e.code());
                g.writeStringField("message", e.getMessage());
                g.writeEndObject();
            }
            ctx.contentType("application/json").result(out.toByteArray());
        } catch (IOException io) {
            ctx.result(e.getMessage());
        }
    }
}
