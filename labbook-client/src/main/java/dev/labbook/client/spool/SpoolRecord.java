package dev.labbook.client.spool;

/**
 * One record read from a spool; a reader fills the same instance again and again, so copy what
 * you keep. Which fields are set depends on {@link #type}: metrics use key, value, step and
 * timestamp; params and tags key and text; artifacts key (the local path) and text (the artifact
 * directory); status uses status and timestamp (the end time); a dataset input uses text (its JSON).
 */
public final class SpoolRecord {
    public byte type;
    public String key;
    public String text;
    public double value;
    public long step;
    public long timestamp;
    public int status;
    /** The position just after this record. */
    public long end;
}
