package dev.labbook.client.spool;

/**
 * The binary layout of spool segments. A segment is a fixed-size, zero-filled file: a 16-byte
 * header ({@link #MAGIC}, {@link #VERSION}, segment index) and then records, each a type byte and
 * a little-endian payload. The type byte is written last, after a release fence, so a record cut
 * short by a crash still reads as type 0, which means "no more records here".
 *
 * <pre>
 * KEY      id:int  key:str                 defines a metric key id, local to the segment
 * METRIC   keyId:int step:long timestamp:long value:double
 * PARAM    key:str value:str
 * TAG      key:str value:str
 * ARTIFACT localPath:str artifactDir:str  upload of a file (or a directory's files)
 * STATUS   status:byte endTime:long        the run ended
 * INPUT    json:str                        a dataset input (MLflow log-inputs), as its JSON message
 * NEXT                                     continue at the start of the next segment
 * str = length:int + UTF-8 bytes
 * </pre>
 */
public final class Records {
    /** "LBS1" */
    public static final int MAGIC = 0x3153424C;
    public static final int VERSION = 1;
    public static final int HEADER = 16;

    public static final byte END = 0;
    public static final byte KEY = 1;
    public static final byte METRIC = 2;
    public static final byte PARAM = 3;
    public static final byte TAG = 4;
    public static final byte ARTIFACT = 5;
    public static final byte STATUS = 6;
    /**
     * Added to version 1 later: spools written before it hold none and read as before (a reader
     * older than it would report one as a corrupt record, so a spool with inputs needs this SDK).
     */
    public static final byte INPUT = 7;
    public static final byte NEXT = 0x7F;

    /** Size of a metric record, the record that matters for speed. */
    public static final int METRIC_SIZE = 1 + 4 + 8 + 8 + 8;

    private Records() {}

    /** Packs a segment index and an offset into one position (comparable as a long). */
    public static long position(int segment, int offset) {
        return ((long) segment << 32) | (offset & 0xFFFFFFFFL);
    }

    public static int segment(long position) {
        return (int) (position >>> 32);
    }

    public static int offset(long position) {
        return (int) position;
    }

    static String segmentName(int index) {
        return String.format("seg-%08d.lbs", index);
    }
}
