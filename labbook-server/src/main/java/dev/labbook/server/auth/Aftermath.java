package dev.labbook.server.auth;

import dev.labbook.store.auth.Grant;
import dev.labbook.store.auth.Permission;
import io.javalin.http.Context;

/**
 * What follows a successful tracking or registry change, as in MLflow's auth app: creators get
 * MANAGE on the experiment or registered model they created; a deleted model's grants go with
 * it; a renamed model's follow it. The audit log records creations and deletions.
 */
final class Aftermath {
    private final AuthService auth;

    Aftermath(AuthService auth) {
        this.auth = auth;
    }

    void after(Context ctx) {
        String route = AuthFilter.routeOf(ctx);
        if (route == null || ctx.statusCode() != 200) {
            return;
        }
        String key = ctx.method().name() + " " + RouteRules.normalize(route);
        Principal p = AuthFilter.principalOf(ctx);
        if (p == null) {
            return;
        }
        switch (key) {
            case "POST /api/2.0/mlflow/experiments/create" -> {
                String name = new RequestView(ctx).param("name");
                ownerOf(name).ifPresent(id -> {
                    auth.grant(Grant.Resource.EXPERIMENT, id, p.username(), null, Permission.MANAGE);
                    auth.audit(p, "create_experiment", id, name);
                });
            }
            case "POST /api/2.0/mlflow/experiments/delete" ->
                    auth.audit(p, "delete_experiment", new RequestView(ctx).param("experiment_id"), null);
            case "POST /api/2.0/mlflow/registered-models/create" -> {
                String name = new RequestView(ctx).param("name");
                auth.grant(Grant.Resource.REGISTERED_MODEL, name, p.username(), null, Permission.MANAGE);
                auth.audit(p, "create_registered_model", name, null);
            }
            case "DELETE /api/2.0/mlflow/registered-models/delete" -> {
                String name = new RequestView(ctx).param("name");
                auth.store.deleteGrantsOn(Grant.Resource.REGISTERED_MODEL, name);
                auth.changed();
                auth.audit(p, "delete_registered_model", name, null);
            }
            case "POST /api/2.0/mlflow/registered-models/rename" -> {
                RequestView v = new RequestView(ctx);
                auth.store.renameGrants(Grant.Resource.REGISTERED_MODEL, v.param("name"), v.param("new_name"));
                auth.changed();
                auth.audit(p, "rename_registered_model", v.param("name"), v.param("new_name"));
            }
            default -> { }
        }
    }

    private java.util.Optional<String> ownerOf(String experimentName) {
        return experimentName == null ? java.util.Optional.empty() : auth.ownersForAftermath().experimentNamed(experimentName);
    }
}
