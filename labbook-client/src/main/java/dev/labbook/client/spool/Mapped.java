package dev.labbook.client.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Maps spool files and unmaps them promptly, so old segments do not wait for a GC to go away. */
final class Mapped {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            cleaner = c.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Without it mappings are released by the GC, which is only slower.
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private Mapped() {}

    /** Maps {@code size} bytes of the file, creating (sparse, zero-filled) or extending it as needed. */
    static MappedByteBuffer readWrite(Path file, int size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            b.order(ByteOrder.LITTLE_ENDIAN);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot map spool file " + file, e);
        }
    }

    /** Maps the whole file read-only. */
    static MappedByteBuffer readOnly(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            b.order(ByteOrder.LITTLE_ENDIAN);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot map spool file " + file, e);
        }
    }

    /** Releases a mapping now. The buffer must not be touched afterwards. */
    static void unmap(MappedByteBuffer b) {
        if (b == null || INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, b);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // leave it to the GC
        }
    }
}
