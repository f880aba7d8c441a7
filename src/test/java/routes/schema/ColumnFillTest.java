package routes.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Reading what an added column's existing rows hold from the sources' catalogs. */
class ColumnFillTest {

    @Test
    void postgresMissingValueIsTheArraysOnlyElement() {
        assertEquals("2", PostgresCatalog.onlyElement("{2}"));
        assertEquals("it's \\ \"q\" {x}", PostgresCatalog.onlyElement("{\"it's \\\\ \\\"q\\\" {x}\"}"));
        assertEquals("{1,2}", PostgresCatalog.onlyElement("{{1,2}}"));
        assertNull(PostgresCatalog.onlyElement("{NULL}"));
        assertEquals("NULL", PostgresCatalog.onlyElement("{\"NULL\"}"));
    }

    @Test
    void mariaDbDefaultsAreSqlText() {
        assertEquals(ColumnFill.constant("2"), MySqlCatalog.fillOf("2", true, false));
        assertEquals(ColumnFill.constant("-9.50"), MySqlCatalog.fillOf("-9.50", true, false));
        assertEquals(ColumnFill.constant("it's \\ x"), MySqlCatalog.fillOf("'it''s \\\\ x'", true, false));
        assertEquals(ColumnFill.NULL, MySqlCatalog.fillOf("NULL", true, false));
        assertEquals(ColumnFill.NULL, MySqlCatalog.fillOf(null, true, false));
        assertFalse(MySqlCatalog.fillOf("rand()", true, false).known());
        assertFalse(MySqlCatalog.fillOf("current_timestamp()", true, false).known());
        assertFalse(MySqlCatalog.fillOf("b'1'", true, false).known());
    }

    @Test
    void mySqlDefaultsAreBareTextUnlessFlagged() {
        assertEquals(ColumnFill.constant("it's"), MySqlCatalog.fillOf("it's", false, false));
        assertFalse(MySqlCatalog.fillOf("rand()", false, true).known());
        assertFalse(MySqlCatalog.fillOf("CURRENT_TIMESTAMP", false, false).known());
    }
}
