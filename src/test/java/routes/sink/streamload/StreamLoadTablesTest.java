package routes.sink.streamload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.schema.TypeOverrides;
import routes.schema.TypeSystem;

class StreamLoadTablesTest {

    private static final TableSchema ORDERS = new TableSchema(new TableId("public", "orders"), List.of(
            new Column("note", "text", true), new Column("id", "bigint", false), new Column("amount", "numeric(12,2)", true),
            new Column("region", "character varying(10)", false), new Column("created", "timestamp(3) with time zone", true),
            new Column("doc", "jsonb", true)), List.of("region", "id"), TableSchema.POSTGRESQL);

    @Test
    void dorisUniqueKeyTableWithKeysFirstAndMergeOnWrite() {
        StreamLoadTables.Definition table = tables(StreamLoadFlavour.DORIS, "replication_num=1").define(ORDERS, new TableId("ods", "orders"));
        assertFalse(table.refused());
        assertEquals("""
                CREATE TABLE IF NOT EXISTS `ods`.`orders` (
                  `region` VARCHAR(40) NOT NULL,
                  `id` BIGINT NOT NULL,
                  `note` STRING NULL,
                  `amount` DECIMAL(12,2) NULL,
                  `created` DATETIME(3) NULL,
                  `doc` JSON NULL
                )
                UNIQUE KEY(`region`, `id`)
                DISTRIBUTED BY HASH(`region`, `id`) BUCKETS AUTO
                PROPERTIES ("enable_unique_key_merge_on_write" = "true", "replication_num" = "1")""", table.createStatement());
        assertEquals(List.of("region", "id", "note", "amount", "created", "doc"), table.columns());
    }

    @Test
    void starRocksPrimaryKeyTable() {
        StreamLoadTables.Definition table = tables(StreamLoadFlavour.STARROCKS, "").define(ORDERS, new TableId("ods", "orders"));
        assertEquals("""
                CREATE TABLE IF NOT EXISTS `ods`.`orders` (
                  `region` VARCHAR(40) NOT NULL,
                  `id` BIGINT NOT NULL,
                  `note` STRING NULL,
                  `amount` DECIMAL(12,2) NULL,
                  `created` DATETIME NULL,
                  `doc` JSON NULL
                )
                PRIMARY KEY(`region`, `id`)
                DISTRIBUTED BY HASH(`region`, `id`)""", table.createStatement());
    }

    @Test
    void namesTheTargetCannotHoldStopTheTableWithAReason() {
        TableSchema odd = new TableSchema(new TableId("public", "order items"), List.of(new Column("id", "integer", false)), List.of("id"),
                TableSchema.POSTGRESQL);
        StreamLoadTables.Definition table = tables(StreamLoadFlavour.DORIS, "").define(odd, new TableId("ods", "order items"));
        assertTrue(table.refused());
        assertTrue(table.refusal().contains("'order items' is not a valid Doris table name"), table.refusal());

        TableSchema reserved = new TableSchema(new TableId("public", "t"), List.of(new Column("id", "integer", false),
                new Column("__DORIS_DELETE_SIGN__", "integer", true)), List.of("id"), TableSchema.POSTGRESQL);
        assertTrue(tables(StreamLoadFlavour.DORIS, "").define(reserved, new TableId("ods", "t")).refusal().contains("reserved"));
    }

    @Test
    void keysOfTypesTheModelCannotKeyStopTheTable() {
        TableSchema floatKey = new TableSchema(new TableId("public", "m"), List.of(new Column("x", "double precision", false)), List.of("x"),
                TableSchema.POSTGRESQL);
        StreamLoadTables.Definition table = tables(StreamLoadFlavour.DORIS, "").define(floatKey, new TableId("ods", "m"));
        assertTrue(table.refusal().contains("DOUBLE"), table.refusal());

        TableSchema textKey = new TableSchema(new TableId("public", "k"), List.of(new Column("code", "text", false)), List.of("code"),
                TableSchema.POSTGRESQL);
        assertTrue(tables(StreamLoadFlavour.DORIS, "").define(textKey, new TableId("ods", "k")).createStatement()
                .contains("`code` VARCHAR(65533) NOT NULL"), "text keys need a bounded type");
    }

    @Test
    void typeMappingFromBothSourceFamilies() {
        StreamLoadTypes doris = new StreamLoadTypes(StreamLoadFlavour.DORIS, TypeOverrides.NONE);
        assertEquals("LARGEINT", doris.write(TypeSystem.MYSQL.read("bigint(20) unsigned")));
        assertEquals("BIGINT", doris.write(TypeSystem.MYSQL.read("int(10) unsigned")));
        assertEquals("STRING", doris.write(TypeSystem.MYSQL.read("decimal(65,30)")), "beyond 38 digits only text is exact");
        assertEquals("DECIMAL(38,10)", doris.write(TypeSystem.MYSQL.read("decimal(38,10)")));
        assertEquals("VARCHAR(400)", doris.write(TypeSystem.MYSQL.read("varchar(100)")));
        assertEquals("STRING", doris.write(TypeSystem.MYSQL.read("varchar(20000)")));
        assertEquals("DATETIME(6)", doris.write(TypeSystem.MYSQL.read("datetime(6)")));
        assertEquals("DATETIME(0)", doris.write(TypeSystem.MYSQL.read("timestamp")));
        assertEquals("VARCHAR(32)", doris.write(TypeSystem.MYSQL.read("time(3)")));
        assertEquals("JSON", doris.write(TypeSystem.MYSQL.read("json")));
        assertEquals("STRING", doris.write(TypeSystem.MYSQL.read("longblob")));
        assertEquals(doris.write(TypeSystem.POSTGRESQL.read("bit(8)")), doris.write(TypeSystem.MYSQL.read("bit(8)")), "bits as 0/1 text, the same from both families");
        assertEquals("STRING", doris.write(TypeSystem.POSTGRESQL.read("numeric")), "numeric without precision holds any digits and NaN");
        assertEquals("DATETIME(6)", doris.write(TypeSystem.POSTGRESQL.read("timestamp without time zone")));
        assertEquals("VARCHAR(36)", doris.write(TypeSystem.POSTGRESQL.read("uuid")));
        assertEquals("STRING", doris.write(TypeSystem.POSTGRESQL.read("integer[]")));
        assertEquals("BOOLEAN", new StreamLoadTypes(StreamLoadFlavour.DORIS, TypeOverrides.parse("tinyint(1)=BOOLEAN"))
                .map(new Column("flag", "tinyint(1)", true), TableSchema.MYSQL, false).type(), "overrides win");
    }

    /** Through the FE's MySQL protocol (the emulator's, with the MariaDB driver): CREATE TABLE, then ADD COLUMN with defaults. */
    @Test
    void addedColumnsCarryTheirDefaultToTheTarget() throws Exception {
        try (StreamLoadEmulator doris = StreamLoadEmulator.start("ddl", "pw'\\x");
                Connection c = DriverManager.getConnection(doris.ddlJdbcUrl(), "ddl", "pw'\\x")) {
            StreamLoadTables tables = tables(StreamLoadFlavour.DORIS, "");
            tables.create(c, tables.define(ORDERS, new TableId("ods", "orders")));
            tables.addColumn(c, new TableId("ods", "orders"), "label", "STRING", "it's \"q\" \\ x");
            tables.addColumn(c, new TableId("ods", "orders"), "tier", "SMALLINT", null);
            assertEquals("ALTER TABLE `ods`.`orders` ADD COLUMN `label` STRING NULL DEFAULT \"it's \\\"q\\\" \\\\ x\"",
                    doris.statements.get(doris.statements.size() - 2));
            assertEquals("ALTER TABLE `ods`.`orders` ADD COLUMN `tier` SMALLINT NULL", doris.statements.get(doris.statements.size() - 1));
            SQLException json = assertThrows(SQLException.class, () -> tables.addColumn(c, new TableId("ods", "orders"), "doc2", "JSON", "{}"));
            assertTrue(json.getMessage().contains("default value just support null"), json.getMessage());
            assertTrue(tables.refusedDefault("JSON").contains("no default on Doris"));
            assertThrows(SQLException.class, () -> DriverManager.getConnection(doris.ddlJdbcUrl(), "ddl", "wrong"), "credentials are checked");
        }
    }

    @Test
    void defaultsAreLoadedInTheTextRowsCarry() {
        assertEquals("true", StreamLoadTypes.loadText("t", "boolean", TableSchema.POSTGRESQL));
        assertEquals("2024-01-01 09:30:00.500000", StreamLoadTypes.loadText("2024-01-01 15:00:00.5+05:30", "timestamp(3) with time zone",
                TableSchema.POSTGRESQL), "in UTC, as rows carry zoned timestamps");
        assertEquals("2024-01-01 15:00:00", StreamLoadTypes.loadText("2024-01-01 15:00:00", "timestamp without time zone", TableSchema.POSTGRESQL));
        assertEquals("1", StreamLoadTypes.loadText("1", "tinyint(1)", TableSchema.MYSQL));
        assertEquals(null, StreamLoadTypes.loadText(null, "integer", TableSchema.POSTGRESQL));
    }

    private static StreamLoadTables tables(StreamLoadFlavour flavour, String properties) {
        return new StreamLoadTables(flavour, new StreamLoadTypes(flavour, TypeOverrides.NONE), true, properties);
    }
}
