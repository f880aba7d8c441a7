package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/**
 * Column types read back from Debezium's propagated source type, length and scale (MySQL family); a table's rows
 * told apart from another's whose row schema has the same name.
 */
class SchemaWatchTest {

    @Test
    void tablesWhoseRowSchemasShareANameAreWatchedApart() throws Exception {
        // Debezium names a row schema after its topic, where each non-ASCII letter becomes '_': both are "__.__".
        Schema orders = SchemaBuilder.struct().name("task.__.__.Value").field("编号", Schema.INT64_SCHEMA).field("名称", Schema.STRING_SCHEMA).build();
        Schema customers = SchemaBuilder.struct().name("task.__.__.Value").field("客户号", Schema.INT32_SCHEMA).build();
        SchemaWatch watch = new SchemaWatch();
        List<String> seen = new ArrayList<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            for (int i = 0; i < 3; i++) {
                seen.add(watch(watch, camel, new Struct(orders).put("编号", 1L).put("名称", "a"), "订单"));
                seen.add(watch(watch, camel, new Struct(customers).put("客户号", 1), "客户"));
            }
        }
        assertEquals(Arrays.asList("first", "first", null, null, null, null), seen, "no schema change between two tables' rows");
    }

    private static String watch(SchemaWatch watch, DefaultCamelContext camel, Struct row, String table) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(row);
        exchange.getMessage().setHeader(DebeziumConstants.HEADER_SOURCE_METADATA, Map.of("connector", "postgresql", "schema", "商店", "table", table));
        watch.process(exchange);
        return exchange.getMessage().getHeader(SchemaWatch.HEADER, String.class);
    }

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
