package dev.labbook.server.http;

/** The endpoints of one resource, declared together in one place. */
public interface RouteGroup {
    void register(Api api);
}
