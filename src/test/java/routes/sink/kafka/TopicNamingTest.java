package routes.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import routes.ops.TaskProblem;
import routes.sink.TargetNaming;

class TopicNamingTest {

    private static Map<String, String> table(String schema, String table) {
        return Map.of(TargetNaming.DATASOURCE, "shop-sync", TargetNaming.DATABASE, "shop", TargetNaming.SCHEMA, schema,
                TargetNaming.TABLE, table);
    }

    @Test
    void defaultIsDebeziumsTopicName() {
        TopicNaming.Decision decision = new TopicNaming("", "replace").topicFor(table("public", "orders"));
        assertEquals("shop-sync.public.orders", decision.topic());
        assertNull(decision.problem());
    }

    @Test
    void ruleVariablesAndReplacements() {
        assertEquals("cdc.shop.orders", new TopicNaming("cdc.${source_database_name}.${table_name}", null).topicFor(table("public", "orders")).topic());
        assertEquals("prd_orders", new TopicNaming("${table_name/^dev_/prd_}", null).topicFor(table("public", "dev_orders")).topic());
    }

    @Test
    void charactersKafkaRefusesAreReplacedByDefault() {
        assertEquals("shop-sync.Sales_Dept.order_lines__2024_", new TopicNaming(null, null)
                .topicFor(table("Sales Dept", "order lines (2024)")).topic());
        assertEquals("shop-sync.public.caf__", new TopicNaming(null, null).topicFor(table("public", "café$")).topic());
    }

    @Test
    void stopModeStopsTheTableWithTheCharacterAndTheFix() {
        TopicNaming.Decision decision = new TopicNaming(null, "stop").topicFor(table("public", "order lines"));
        assertNull(decision.topic());
        assertTrue(decision.problem().contains("'shop-sync.public.order lines' holds ' '"), decision.problem());
        assertTrue(decision.problem().contains("invalidTopicNames"), decision.problem());
        assertEquals("shop-sync.public.orders", new TopicNaming(null, "stop").topicFor(table("public", "orders")).topic());
    }

    @Test
    void namesKafkaCannotHoldEvenAfterReplacementStopTheTable() {
        String longName = "t".repeat(250);
        TopicNaming.Decision tooLong = new TopicNaming("${table_name}", null).topicFor(table("public", longName));
        assertNull(tooLong.topic());
        assertTrue(tooLong.problem().contains("250 characters"), tooLong.problem());
        assertEquals("t".repeat(249), new TopicNaming("${table_name}", null).topicFor(table("public", "t".repeat(249))).topic());
        assertNull(new TopicNaming(".", null).topicFor(table("public", "orders")).topic());
        assertNull(new TopicNaming("${table_name/.*/}", null).topicFor(table("public", "orders")).topic());
    }

    @Test
    void unknownSettingsAreRefused() {
        assertThrows(TaskProblem.class, () -> new TopicNaming(null, "truncate"));
        assertThrows(TaskProblem.class, () -> new TopicNaming("${tabel_name}", null));
    }
}
