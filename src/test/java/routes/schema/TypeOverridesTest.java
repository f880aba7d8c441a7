package routes.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TypeOverridesTest {

    @Test
    void fullTypeTextWinsOverTheBaseName() {
        TypeOverrides overrides = TypeOverrides.parse("tinyint=integer; TINYINT(1) = boolean ;year=integer");
        assertEquals(Optional.of("boolean"), overrides.targetFor("tinyint(1)"));
        assertEquals(Optional.of("integer"), overrides.targetFor("tinyint(4)"));
        assertEquals(Optional.of("integer"), overrides.targetFor("tinyint"));
        assertEquals(Optional.of("integer"), overrides.targetFor("YEAR(4)"));
    }

    @Test
    void matchesIgnoreCaseAndRepeatedSpaces() {
        TypeOverrides overrides = TypeOverrides.parse("character varying=LONGTEXT;Timestamp(3) With Time Zone=VARCHAR(40)");
        assertEquals(Optional.of("LONGTEXT"), overrides.targetFor("character  varying(20)"));
        assertEquals(Optional.of("VARCHAR(40)"), overrides.targetFor("timestamp(3) with time zone"));
        assertEquals(Optional.empty(), overrides.targetFor("timestamp(6) with time zone"), "another precision, no base-name pair");
    }

    @Test
    void aPostgresTypeWithoutItsPrecisionMatchesEveryPrecision() {
        TypeOverrides overrides = TypeOverrides.parse("timestamp without time zone=DATETIME(6);timestamp(0) without time zone=DATETIME");
        assertEquals(Optional.of("DATETIME(6)"), overrides.targetFor("timestamp without time zone"));
        assertEquals(Optional.of("DATETIME(6)"), overrides.targetFor("timestamp(3) without time zone"));
        assertEquals(Optional.of("DATETIME"), overrides.targetFor("timestamp(0) without time zone"), "the full text first");
        assertEquals(Optional.empty(), overrides.targetFor("timestamp with time zone"));
    }

    @Test
    void unmatchedTypesAndBlankSettingsKeepTheBuiltInMapping() {
        assertEquals(Optional.empty(), TypeOverrides.parse("longtext=bytea").targetFor("text"));
        assertEquals(Optional.empty(), TypeOverrides.parse("").targetFor("longtext"));
        assertEquals(Optional.empty(), TypeOverrides.parse(null).targetFor("longtext"));
        assertEquals(Optional.of("bytea"), TypeOverrides.parse("longtext=bytea;").targetFor("longtext"), "a trailing semicolon is fine");
    }

    @Test
    void aPairWithoutBothSidesIsRefusedByName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TypeOverrides.parse("year=integer;longtext"));
        assertTrue(error.getMessage().contains("'longtext'"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TypeOverrides.parse("=bytea"));
        assertThrows(IllegalArgumentException.class, () -> TypeOverrides.parse("longtext= "));
    }
}
