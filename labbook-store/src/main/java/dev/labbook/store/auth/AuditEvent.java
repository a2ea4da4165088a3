package dev.labbook.store.auth;

/** One entry of the audit log: who did what to which target. */
public record AuditEvent(long id, long time, String actor, String action, String target, String detail) {}
