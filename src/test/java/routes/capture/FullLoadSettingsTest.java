package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class FullLoadSettingsTest {

    @Test
    void filtersBecomeSelectOverridesWithQuotedNames() {
        Map<String, String> out = FullLoadSettings.adapt(Map.of(FullLoadSettings.FILTERS,
                "public.orders=status = 'open; or not' ; Sales.\"Big\" t=id > 10", "topic.prefix", "t"), '"');
        assertEquals("public.orders,Sales.\"Big\" t", out.get("snapshot.select.statement.overrides"));
        assertEquals("SELECT * FROM \"public\".\"orders\" WHERE status = 'open; or not'",
                out.get("snapshot.select.statement.overrides.public.orders"));
        assertEquals("SELECT * FROM \"Sales\".\"\"\"Big\"\" t\" WHERE id > 10",
                out.get("snapshot.select.statement.overrides.Sales.\"Big\" t"));
        assertEquals("t", out.get("topic.prefix"));
        assertFalse(out.containsKey(FullLoadSettings.FILTERS));
    }

    @Test
    void mysqlNamesTakeBackticks() {
        Map<String, String> out = FullLoadSettings.adapt(Map.of(FullLoadSettings.FILTERS, "shop.orders=id<3"), '`');
        assertEquals("SELECT * FROM `shop`.`orders` WHERE id<3", out.get("snapshot.select.statement.overrides.shop.orders"));
    }

    @Test
    void skippedTablesLeaveTheSnapshotListInBothNameForms() {
        Map<String, String> out = FullLoadSettings.adapt(Map.of(FullLoadSettings.SKIPPED, "public\\.audit_.*, public.logs"), '"');
        Pattern pattern = Pattern.compile(out.get("snapshot.include.collection.list"));
        assertTrue(pattern.matcher("public.orders").matches());
        assertFalse(pattern.matcher("public.audit_2024").matches());
        assertFalse(pattern.matcher("public.logs").matches());
        // Debezium also admits a table whose double-quoted name matches: that form must never match.
        assertFalse(pattern.matcher("\"public\".\"logs\"").matches());
        assertFalse(pattern.matcher("\"public\".\"orders\"").matches());
    }

    @Test
    void emptySettingsChangeNothing() {
        Map<String, String> in = Map.of(FullLoadSettings.FILTERS, "", FullLoadSettings.SKIPPED, " ", "slot.name", "s");
        assertEquals(Map.of("slot.name", "s"), FullLoadSettings.adapt(in, '"'));
    }

    @Test
    void aFilterWithoutTableOrConditionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FullLoadSettings.adapt(Map.of(FullLoadSettings.FILTERS, "orders=id>1"), '"'));
        assertThrows(IllegalArgumentException.class, () -> FullLoadSettings.adapt(Map.of(FullLoadSettings.FILTERS, "public.orders="), '"'));
    }

    @Test
    void theMySqlFamilyConnectorAppliesThem() {
        Map<String, String> out = MySqlFamilyConnector.adapt(Map.of(FullLoadSettings.SKIPPED, "shop\\.logs", "topic.prefix", "t"), false);
        assertFalse(Pattern.compile(out.get("snapshot.include.collection.list")).matcher("shop.logs").matches());
    }

    @Test
    void chunkSettingsHaveDefaultsAndRefuseNonsense() {
        routes.schema.TableSchema orders = new routes.schema.TableSchema(new routes.change.TableId("public", "orders"),
                java.util.List.of(), java.util.List.of("id", "line"), routes.schema.TableSchema.POSTGRESQL);
        assertEquals("id", FullLoadSettings.splitKey(Map.of(), orders));
        assertEquals("customer_id", FullLoadSettings.splitKey(Map.of(FullLoadSettings.SPLIT_KEYS,
                "public.items=sku; public.orders = customer_id"), orders));
        assertEquals(100_000, FullLoadSettings.chunkRows(Map.of()));
        assertEquals(4, FullLoadSettings.parallelism(Map.of(FullLoadSettings.PARALLELISM, "")));
        assertEquals(2, FullLoadSettings.parallelism(Map.of(FullLoadSettings.PARALLELISM, " 2 ")));
        assertThrows(IllegalArgumentException.class, () -> FullLoadSettings.chunkRows(Map.of(FullLoadSettings.CHUNK_ROWS, "0")));
        assertThrows(IllegalArgumentException.class, () -> FullLoadSettings.parallelism(Map.of(FullLoadSettings.PARALLELISM, "many")));
        assertEquals(java.util.Optional.of("status = 'open; or not'"), FullLoadSettings.filter(Map.of(FullLoadSettings.FILTERS,
                "public.orders=status = 'open; or not'"), orders.id()));
    }

    @Test
    void chunkConditionsCoverEveryKeyOnceWithNullsInTheFirstChunk() {
        routes.schema.TableSchema orders = new routes.schema.TableSchema(new routes.change.TableId("shop", "orders"),
                java.util.List.of(), java.util.List.of("id"), routes.schema.TableSchema.MYSQL);
        Map<String, String> config = Map.of(FullLoadSettings.SPLIT_KEYS, "shop.orders=customer_id", FullLoadSettings.FILTERS,
                "shop.orders=status <> 'gone'");
        routes.change.TableId id = orders.id();
        assertEquals(" WHERE (`customer_id` < 100 OR `customer_id` IS NULL) AND (status <> 'gone')",
                FullLoadSettings.chunkCondition(config, orders, new routes.fullload.Chunk(id, 0, null, 100L, null), '`', java.util.Optional.empty()));
        assertEquals(" WHERE `customer_id` >= 100 AND `customer_id` < 200 AND (status <> 'gone')",
                FullLoadSettings.chunkCondition(config, orders, new routes.fullload.Chunk(id, 1, 100L, 200L, null), '`', java.util.Optional.empty()));
        assertEquals(" WHERE \"id\" >= 200", FullLoadSettings.chunkCondition(Map.of(), orders, new routes.fullload.Chunk(id, 2, 200L, null, null), '"', java.util.Optional.empty()));
        assertEquals("", FullLoadSettings.chunkCondition(Map.of(), orders, new routes.fullload.Chunk(id, 0, null, null, null), '"', java.util.Optional.empty()));
        assertEquals(" WHERE \"id\" >= 200 AND (id < 250)", FullLoadSettings.chunkCondition(Map.of(), orders,
                new routes.fullload.Chunk(id, 2, 200L, null, null), '"', java.util.Optional.of("id < 250")));
    }
}
