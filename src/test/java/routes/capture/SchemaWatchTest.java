package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Column types read back from Debezium's propagated source type, length and scale (MySQL family). */
class SchemaWatchTest {

    @Test
    void plainTypesAreRebuiltOthersAreNot() {
        assertEquals("varchar(40)", SchemaWatch.mySqlType(params("VARCHAR", "40", null)));
        assertEquals("decimal(14,2)", SchemaWatch.mySqlType(params("DECIMAL", "14", "2")));
        assertEquals("int(10) unsigned", SchemaWatch.mySqlType(params("INT UNSIGNED", "10", null)));
        assertEquals("bigint(20)", SchemaWatch.mySqlType(params("BIGINT", "20", null)));
        assertEquals("longtext", SchemaWatch.mySqlType(params("LONGTEXT", null, null)));
        assertEquals("double unsigned", SchemaWatch.mySqlType(params("DOUBLE UNSIGNED", "22", null)));
        assertNull(SchemaWatch.mySqlType(params("ENUM", "1", null)), "the values are not in the parameters");
        assertNull(SchemaWatch.mySqlType(params("DATETIME", "6", null)), "precision is not reliably the length");
        assertNull(SchemaWatch.mySqlType(params("VARCHAR", null, null)));
        assertNull(SchemaWatch.mySqlType(null));
    }

    private static Map<String, String> params(String type, String length, String scale) {
        Map<String, String> params = new HashMap<>();
        params.put("__debezium.source.column.type", type);
        if (length != null) {
            params.put("__debezium.source.column.length", length);
        }
        if (scale != null) {
            params.put("__debezium.source.column.scale", scale);
        }
        return params;
    }
}
