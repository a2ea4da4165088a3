package dev.labbook.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Asserts that code fails with INVALID_PARAMETER_VALUE and a message naming the problem. */
public final class Invalid {
    private Invalid() {}

    public static LabbookException assertInvalid(Executable code, String... fragments) {
        LabbookException e = assertThrows(LabbookException.class, code);
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code(), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "expected '" + f + "' in: " + e.getMessage());
        }
        return e;
    }
}
