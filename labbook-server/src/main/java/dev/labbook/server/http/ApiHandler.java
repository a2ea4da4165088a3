package dev.labbook.server.http;

/**
 * A thin API handler: takes the parsed request, makes one store or service call and returns the
 * response message (a record or a map), which is written as JSON with status 200.
 */
@FunctionalInterface
public interface ApiHandler {
    Object handle(ApiRequest request) throws Exception;
}
