package dev.labbook.server;

import dev.labbook.server.auth.AuthService;
import dev.labbook.server.dashboard.DashboardApi;
import dev.labbook.server.dashboard.DashboardRoutes;
import dev.labbook.server.artifact.ArtifactRoutes;
import dev.labbook.server.artifact.MultipartUploadRoutes;
import dev.labbook.server.http.Api;
import dev.labbook.server.http.ErrorMapper;
import dev.labbook.server.http.JsonErrorHandler;
import dev.labbook.server.http.RouteGroup;
import dev.labbook.server.registry.ModelVersionRoutes;
import dev.labbook.server.registry.RegisteredModelRoutes;
import dev.labbook.server.tracking.ExperimentRoutes;
import dev.labbook.server.tracking.LogModelRoutes;
import dev.labbook.server.tracking.MetricRoutes;
import dev.labbook.server.tracking.RunRoutes;
import dev.labbook.server.trace.TraceV2Routes;
import dev.labbook.server.trace.TraceV3Routes;
import dev.labbook.server.live.LiveRoutes;
import dev.labbook.server.loggedmodel.LoggedModelRoutes;
import dev.labbook.server.ops.GracefulStop;
import dev.labbook.server.ops.HealthCheck;
import dev.labbook.server.ops.OpsRoutes;
import dev.labbook.server.ops.ServerMetrics;
import dev.labbook.server.sweep.SweepRoutes;
import dev.labbook.store.jdbc.DashboardQueries;
import dev.labbook.store.artifact.ArtifactStore;
import dev.labbook.store.artifact.ArtifactStores;
import dev.labbook.store.jdbc.Database;
import dev.labbook.store.jdbc.JdbcLoggedModelStore;
import dev.labbook.store.jdbc.JdbcModelRegistryStore;
import dev.labbook.store.jdbc.JdbcTraceStore;
import dev.labbook.store.jdbc.JdbcSweepStore;
import dev.labbook.store.jdbc.JdbcTrackingStore;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Labbook tracking server: the MLflow REST API over the configured stores. Start with
 * {@link #start(ServerConfig)}, stop with {@link #close()}.
 */
public final class LabbookServer implements AutoCloseable {
    /** JSON bodies may be larger than log-batch's 1 MB limit so that limit gets MLflow's error. */
    private static final long MAX_JSON_BODY = 16L << 20;
    /** Javalin's default pool (250 threads at most), but 2 idle threads kept rather than 8. */
    private static final int MAX_THREADS = 250;
    private static final int MIN_THREADS = 2;
    /** The request line and headers together, as large as uvicorn's 16 kB and more. */
    private static final int MAX_REQUEST_HEADERS = 64 << 10;
    /** How long /health gives the database and the artifact store to answer. */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(LabbookServer.class);

    private final Database database;
    private final JdbcTrackingStore tracking;
    private final LiveRoutes live;
    private final JdbcModelRegistryStore registry;
    private final AuthService auth;
    private final ArtifactStore artifactStore;
    private final Javalin app;
    private final ServerMetrics metrics = new ServerMetrics();
    private final HealthCheck health = new HealthCheck(HEALTH_TIMEOUT);
    private final GracefulStop graceful = new GracefulStop(GracefulStop.DEFAULT_TIMEOUT);
    private final AtomicBoolean closed = new AtomicBoolean();

    private LabbookServer(ServerConfig config, ArtifactStore artifactStore) {
        this.artifactStore = artifactStore;
        this.database = Database.open(config.backendStoreUri());
        database.trackPoolMetrics(new MicrometerMetricsTrackerFactory(metrics.registry()));
        health.add("database", () -> database.checkReachable((int) HEALTH_TIMEOUT.toSeconds()))
                .add("artifact_store", artifactStore::checkReachable);
        this.tracking = new JdbcTrackingStore(database);
        this.registry = new JdbcModelRegistryStore(database);
        JdbcTraceStore traces = new JdbcTraceStore(database);
        JdbcLoggedModelStore loggedModelStore = new JdbcLoggedModelStore(database);
        LoggedModelRoutes loggedModels = new LoggedModelRoutes(loggedModelStore, artifactStore);
        List<RouteGroup> groups = List.of(
                new ExperimentRoutes(tracking),
                new RunRoutes(tracking, metrics),
                new LogModelRoutes(tracking),
                new MetricRoutes(tracking),
                new RegisteredModelRoutes(registry),
                new ModelVersionRoutes(registry, tracking, loggedModelStore),
                new TraceV2Routes(traces),
                loggedModels);
        ArtifactRoutes artifacts = new ArtifactRoutes(tracking, artifactStore);
        DashboardQueries dashboard = new DashboardQueries(database);
        this.live = new LiveRoutes(tracking, dashboard);
        SweepRoutes sweeps = new SweepRoutes(new JdbcSweepStore(database, tracking));
        this.auth = new AuthService(config.auth(), database);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_JSON_BODY;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, 60_000);
            pool.setName("JettyServerThreadPool");
            cfg.jetty.threadPool = pool;
            // GET endpoints take repeated parameters (up to 100 run_ids, MLflow's REST tests send
            // 1000 to get its error): Jetty's 8 kB would answer "URI Too Long" before MLflow's check
            cfg.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_REQUEST_HEADERS));
            ErrorMapper.install(cfg.routes);
            JsonErrorHandler.install(cfg.jetty);
            // access control first: its filter guards every route registered below
            auth.install(cfg.routes);
            // stop: refuse new connections, let in-flight requests finish, then close the stores
            graceful.install(cfg.jetty);
            metrics.gaugeActiveRequests(graceful::activeRequests);
            cfg.requestLogger.http(metrics::requestDone);
            HealthRoutes.register(cfg.routes);
            new OpsRoutes(health, metrics).register(cfg.routes);
            Api api = new Api(cfg.routes);
            groups.forEach(g -> g.register(api));
            new TraceV3Routes(traces, artifactStore).register(Api.v3(cfg.routes));
            artifacts.register(cfg.routes);
            new MultipartUploadRoutes(artifactStore).register(cfg.routes);
            loggedModels.registerDownloads(cfg.routes);
            sweeps.register(cfg.routes);
            // the web dashboard: static files, chart libraries, shareable addresses, live updates
            cfg.staticFiles.add("/public", Location.CLASSPATH);
            cfg.staticFiles.enableWebjars();
            DashboardRoutes.register(cfg.routes);
            new DashboardApi(dashboard).register(cfg.routes);
            live.register(cfg.routes);
        });
    }

    /** Opens the stores and starts serving; the returned server is listening. */
    public static LabbookServer start(ServerConfig config) {
        return start(config, ArtifactStores.open(config.artifactsDestination()));
    }

    /**
     * Starts serving with {@code artifacts} as the artifact store rather than the one
     * {@code config.artifactsDestination()} names (embedding, tests with their own S3 settings).
     * The server closes the store when it is closed.
     */
    public static LabbookServer start(ServerConfig config, ArtifactStore artifacts) {
        LabbookServer server;
        try {
            server = new LabbookServer(config, artifacts);
        } catch (RuntimeException e) {
            closeArtifacts(artifacts);
            throw e;
        }
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The port the server listens on (the chosen one when configured with port 0). */
    public int port() {
        return app.port();
    }

    /** The tracking store, for in-process tools and tests. */
    public JdbcTrackingStore trackingStore() {
        return tracking;
    }

    /** Every route the server registers, as {@code METHOD path} (the route-table test checks each is guarded). */
    public List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(h -> h.endpoint.method.isHttpMethod())
                .map(h -> h.endpoint.method.name() + " " + h.endpoint.path)
                .toList();
    }

    /** Access control (enabled or not), for the CLI's first-start message and tests. */
    public AuthService auth() {
        return auth;
    }

    /**
     * Stops gracefully: live-update streams end, the listening socket closes, requests in flight
     * get up to {@link GracefulStop#DEFAULT_TIMEOUT} to finish, then the stores close (on SQLite
     * the last connection's close checkpoints the write-ahead log into the database file). A
     * second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        live.close();
        graceful.drain();
        try {
            app.stop();
        } catch (RuntimeException e) {
            // the stores are closed all the same: that is what keeps the data whole
            LOG.warn("The HTTP server did not stop cleanly", e);
        }
        health.close();
        tracking.close();
        registry.close();
        database.close();
        metrics.close();
        closeArtifacts(artifactStore);
    }

    /** Closes a store that holds resources (an S3 store's connections). */
    private static void closeArtifacts(ArtifactStore store) {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot close the artifact store", e);
            }
        }
    }
}
