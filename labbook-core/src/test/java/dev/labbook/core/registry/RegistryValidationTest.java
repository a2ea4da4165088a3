package dev.labbook.core.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryValidationTest {

    @Test
    void stagesParseInAnyCaseAndPrintCanonically() {
        assertEquals(ModelStage.PRODUCTION, ModelStage.parse("production"));
        assertEquals(ModelStage.STAGING, ModelStage.parse(" STAGING "));
        assertEquals(ModelStage.NONE, ModelStage.parse("none"));
        assertEquals(ModelStage.ARCHIVED, ModelStage.parse("Archived"));
        assertEquals("Production", ModelStage.PRODUCTION.toString());
        assertEquals("None", ModelStage.NONE.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "prod", "Deleted_Internal", "Production1"})
    void unknownStagesAreInvalid(String stage) {
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                assertThrows(LabbookException.class, () -> ModelStage.parse(stage)).code());
    }

    @Test
    void versionsAreIntegers() {
        assertEquals(3, RegistryValidation.parseVersion("3"));
        for (String bad : new String[] {null, "", "x", "1.5"}) {
            assertThrows(LabbookException.class, () -> RegistryValidation.parseVersion(bad));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"champion", "prod-2024", "a_b", "v1x", "vv1"})
    void acceptsAliases(String alias) {
        assertDoesNotThrow(() -> RegistryValidation.validateAlias(alias));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "latest", "Latest", "v1", "V10", "a b", "a/b", "a.b"})
    void refusesAliases(String alias) {
        assertThrows(LabbookException.class, () -> RegistryValidation.validateAlias(alias));
    }

    @Test
    void modelNamesMustNotBeEmptyOrTooLong() {
        assertThrows(LabbookException.class, () -> RegistryValidation.validateModelName(null));
        assertThrows(LabbookException.class, () -> RegistryValidation.validateModelName("  "));
        assertThrows(LabbookException.class, () -> RegistryValidation.validateModelName("x".repeat(257)));
        assertDoesNotThrow(() -> RegistryValidation.validateModelName("x".repeat(256)));
    }
}
