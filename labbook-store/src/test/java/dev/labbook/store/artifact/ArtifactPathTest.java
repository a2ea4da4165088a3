package dev.labbook.store.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactPathTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "..", "../x", "a/..", "a/../b", "a/../../x", ".", "./a", "a/./b",
        "/etc/passwd", "//etc/passwd", "C:/Windows", "c:x", "a:b",
        "a\\b", "..\\..\\x", "a\u0000b", "a\nb", "a\u007fb", "x.txt\u0000.png",
        "a//b", "a/", "/", "a///",
        // once more percent-encoded: what the HTTP layer leaves of %252e%252e etc.
        "%2e%2e", "%2E%2E/x", "%2e%2e%2fx", "..%2fx", "a%2f..%2f..%2fx", "%2fetc%2fpasswd", "%2e",
        "a%5cb", "a%00b", "a%2f%2fb", "%252e%252e%252fx", "%25252e%25252e",
        ".labbook-upload-123.tmp", "a/.labbook-upload-x"
    })
    void refusesUnsafePaths(String path) {
        LabbookException e = assertThrows(LabbookException.class, () -> ArtifactPath.segments(path));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        assertFalse(e.getMessage().contains("\u0000"), "message keeps control characters out");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a", "a/b/c.txt", "model/MLmodel", "...", "..a", "a..", ".hidden", "a b", "100%", "100%.txt",
        "%zz", "a%2", "ünïcödé/名前.bin", "ab:c", "1/0a1b2c/artifacts/model/weights.bin", "a%20b",
        // log_image(key=, step=) names: a further decoding turns %17 into a control character,
        // which is no way out of the tree (MLflow keeps these names too)
        "images/loss%step%0%timestamp%1733000000000%g2a4c6e8-1b3d-4f5a-9c7e-0d2f4b6a8c0e.png",
        "images/loss%step%12%timestamp%1733000000000%h2a4c6e8%compressed.webp", "a%17b", "a%1fb%7f",
        "a+b.txt", "my file.txt"
    })
    void acceptsPlainNames(String path) {
        assertEquals(List.of(path.split("/")), ArtifactPath.segments(path));
    }

    @Test
    void emptyAndNullAreTheRoot() {
        assertEquals(List.of(), ArtifactPath.segments(""));
        assertEquals(List.of(), ArtifactPath.segments(null));
    }

    @Test
    void limitsSegmentAndPathLength() {
        ArtifactPath.segments("x".repeat(255));
        assertThrows(LabbookException.class, () -> ArtifactPath.segments("x".repeat(256)));
        assertThrows(LabbookException.class, () -> ArtifactPath.segments("é".repeat(128))); // 256 bytes
        assertThrows(LabbookException.class, () -> ArtifactPath.segments("a/".repeat(2100) + "a"));
    }

    @Test
    void refusesEndlessEncodings() {
        String p = "x";
        for (int i = 0; i < 12; i++) {
            p = p.replace("%", "%25") + "%25";
        }
        String deep = p;
        assertThrows(LabbookException.class, () -> ArtifactPath.segments(deep));
    }

    @Test
    void joinsAndNormalizes() {
        assertEquals("1/abc/artifacts/model/w.bin", ArtifactPath.join("1/abc/artifacts", "model/w.bin"));
        assertEquals("model", ArtifactPath.join("", "model"));
        assertEquals("1/abc", ArtifactPath.join("1/abc", ""));
        assertThrows(LabbookException.class, () -> ArtifactPath.join("1/abc/artifacts", "../../x"));
        assertThrows(LabbookException.class, () -> ArtifactPath.join("1/../..", "x"));
        assertEquals("a/b", ArtifactPath.normalize("a/b"));
    }

    @Test
    void validNames() {
        assertTrue(ArtifactPath.isValidName("weights.bin"));
        assertFalse(ArtifactPath.isValidName("a/b"));
        assertFalse(ArtifactPath.isValidName(".."));
        assertFalse(ArtifactPath.isValidName("a\\b"));
        assertFalse(ArtifactPath.isValidName(""));
    }

    @Test
    void decodesLeniently() {
        assertEquals("../x", PercentDecoder.decode("%2e%2e%2Fx"));
        assertEquals("100%", PercentDecoder.decode("100%"));
        assertEquals("%zz%2", PercentDecoder.decode("%zz%2"));
        assertEquals("é", PercentDecoder.decode("%C3%A9"));
        assertEquals("%2e", PercentDecoder.decode("%252e"));
    }
}
