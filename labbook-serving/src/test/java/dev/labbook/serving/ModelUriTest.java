package dev.labbook.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.labbook.core.LabbookException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The model URI forms MLflow accepts, and the mistakes around them. */
class ModelUriTest {

    @Test
    void registryRunAndLocalForms() {
        assertEquals(new ModelUri(ModelUri.Kind.VERSION, "imdb", "3", null, null), ModelUri.parse("models:/imdb/3"));
        assertEquals(new ModelUri(ModelUri.Kind.ALIAS, "imdb", "champion", null, null), ModelUri.parse("models:/imdb@champion"));
        assertEquals(new ModelUri(ModelUri.Kind.STAGE, "imdb", "Production", null, null), ModelUri.parse("models:/imdb/Production"));
        assertEquals(new ModelUri(ModelUri.Kind.STAGE, "imdb", "latest", null, null), ModelUri.parse("models:/imdb/latest/"));
        assertEquals(new ModelUri(ModelUri.Kind.RUN, null, "model", "abc123", null), ModelUri.parse("runs:/abc123/model"));
        assertEquals(new ModelUri(ModelUri.Kind.RUN, null, "nested/model", "abc123", null), ModelUri.parse("runs:/abc123/nested/model"));
        assertEquals(Path.of("/tmp/m"), ModelUri.parse("file:///tmp/m").local());
        assertEquals(Path.of("/tmp/m"), ModelUri.parse("file:/tmp/m").local());
        assertEquals(Path.of("labbook-data/model"), ModelUri.parse("labbook-data/model").local());
        assertEquals("models:/imdb@champion", ModelUri.parse(" models:/imdb@champion ").toString());
        assertEquals("runs:/abc123/model", ModelUri.parse("runs:/abc123/model").toString());
    }

    @Test
    void mistakesSayWhatIsExpected() {
        for (String bad : new String[] {"models:/imdb", "models:/", "models:/imdb@", "runs:/abc", "runs:/abc/", "s3://bucket/model", ""}) {
            LabbookException e = assertThrows(LabbookException.class, () -> ModelUri.parse(bad), bad);
            assertTrue(e.getMessage().contains("models:/") || e.getMessage().contains("runs:/"), e.getMessage());
        }
    }
}
