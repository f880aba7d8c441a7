package routes.sink.streamload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TypeChangesTest {

    @Test
    void widerIntegersFloatsAndVarcharsChangeInPlace() {
        assertTrue(TypeChanges.inPlace("SMALLINT", "BIGINT"));
        assertTrue(TypeChanges.inPlace("INT", "LARGEINT"));
        assertTrue(TypeChanges.inPlace("FLOAT", "DOUBLE"));
        assertTrue(TypeChanges.inPlace("VARCHAR(20)", "varchar(200)"));
        assertTrue(TypeChanges.inPlace("DECIMAL(10,2)", "STRING"));
    }

    @Test
    void narrowerTypesDecimalPrecisionAndDatesToStringDoNot() {
        assertFalse(TypeChanges.inPlace("BIGINT", "INT"));
        assertFalse(TypeChanges.inPlace("DOUBLE", "FLOAT"));
        assertFalse(TypeChanges.inPlace("VARCHAR(200)", "VARCHAR(20)"));
        assertFalse(TypeChanges.inPlace("DECIMAL(10,2)", "DECIMAL(12,2)"));
        assertFalse(TypeChanges.inPlace("DATETIME(6)", "STRING"));
        assertFalse(TypeChanges.inPlace("STRING", "VARCHAR(20)"));
    }
}
