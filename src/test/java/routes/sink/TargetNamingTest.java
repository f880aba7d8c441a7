package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import routes.ops.TaskProblem;

class TargetNamingTest {

    private static final Map<String, String> SHOP_ORDERS = Map.of(TargetNaming.DATASOURCE, "mysql1", TargetNaming.DATABASE, "shop_3",
            TargetNaming.SCHEMA, "shop_3", TargetNaming.TABLE, "dev_orders_7");

    @Test
    void variablesPrefixesAndSuffixes() {
        assertEquals("dev_orders_7", new TargetNaming(null).apply(SHOP_ORDERS));
        assertEquals("shop_3_dev_orders_7", new TargetNaming("${source_database_name}_${table_name}").apply(SHOP_ORDERS));
        assertEquals("ods_dev_orders_7_v2", new TargetNaming("ods_${table_name}_v2").apply(SHOP_ORDERS));
    }

    @Test
    void replacementsInsideAVariable() {
        assertEquals("prd_orders_7", new TargetNaming("${table_name/^dev_/prd_}").apply(SHOP_ORDERS));
        assertEquals("orders", new TargetNaming("${table_name/^dev_(orders)_\\d+$/$1}").apply(SHOP_ORDERS));
    }

    @Test
    void constantNameAndUnknownVariable() {
        assertEquals("all_orders", new TargetNaming("all_orders").apply(SHOP_ORDERS));
        assertThrows(TaskProblem.class, () -> new TargetNaming("${tabel_name}"));
    }
}
