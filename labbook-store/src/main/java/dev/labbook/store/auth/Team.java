package dev.labbook.store.auth;

import java.util.List;

/** A named group of users that holds permissions as a user does. */
public record Team(long id, String name, long createdTime, List<String> members) {
    public Team {
        members = List.copyOf(members);
    }
}
