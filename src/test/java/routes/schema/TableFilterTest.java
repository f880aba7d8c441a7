package routes.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import routes.change.TableId;

class TableFilterTest {

    @Test
    void matchesWholeNamesLikeDebezium() {
        TableFilter filter = new TableFilter("public", "public\\.orders.*, public\\.items");
        assertTrue(filter.includes(new TableId("public", "orders_2024")));
        assertTrue(filter.includes(new TableId("public", "items")));
        assertFalse(filter.includes(new TableId("public", "items_old")));
        assertFalse(filter.includes(new TableId("other", "orders")));
    }

    @Test
    void emptyListsAdmitEverything() {
        assertTrue(new TableFilter("", null).includes(new TableId("any", "table")));
    }
}
