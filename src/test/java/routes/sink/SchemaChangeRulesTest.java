package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.sink.TypeWidening.Change;

/** The pure parts of schema evolution: policies, column diffs, type widening and table-level statements. */
class SchemaChangeRulesTest {

    private static final TableId T = new TableId("shop", "orders");

    @Test
    void policiesHaveSafeDefaultsAndTakeOverrides() {
        SchemaChangePolicies defaults = new SchemaChangePolicies("");
        assertEquals(SchemaChangePolicies.Policy.APPLY, defaults.of(SchemaChangePolicies.Kind.ADD_COLUMN));
        assertEquals(SchemaChangePolicies.Policy.IGNORE, defaults.of(SchemaChangePolicies.Kind.DROP_COLUMN));
        assertEquals(SchemaChangePolicies.Policy.ALERT, defaults.of(SchemaChangePolicies.Kind.TRUNCATE));
        assertEquals(SchemaChangePolicies.Policy.ALERT, defaults.of(SchemaChangePolicies.Kind.DROP_TABLE));
        SchemaChangePolicies set = new SchemaChangePolicies(" dropColumn=apply, truncate=ERROR ");
        assertEquals(SchemaChangePolicies.Policy.APPLY, set.of(SchemaChangePolicies.Kind.DROP_COLUMN));
        assertEquals(SchemaChangePolicies.Policy.ERROR, set.of(SchemaChangePolicies.Kind.TRUNCATE));
        assertTrue(assertThrows(TaskProblem.class, () -> new SchemaChangePolicies("dropColum=apply")).getMessage().contains("dropColumn"));
        assertThrows(TaskProblem.class, () -> new SchemaChangePolicies("dropColumn=maybe"));
    }

    @Test
    void oneDecisionForEveryTarget() {
        List<String> reported = new java.util.ArrayList<>();
        SchemaChangeDecisions.Reports reports = new SchemaChangeDecisions.Reports() {
            @Override
            public void applied(TableId table, SchemaChangePolicies.Kind kind, String change) {
                reported.add("applied " + change);
            }

            @Override
            public void declined(TableId table, SchemaChangePolicies.Kind kind, SchemaChangePolicies.Policy policy, String change,
                    boolean alert) {
                reported.add((policy == SchemaChangePolicies.Policy.ERROR ? "stop " : alert ? "alert " : "declined ") + change);
            }
        };
        SchemaChangeDecisions decisions = new SchemaChangeDecisions(new SchemaChangePolicies("dropColumn=error,addColumn=alert"), "t",
                reports);
        assertTrue(decisions.decide(new SchemaChange.RenameColumn(T, col("a", "text"), col("b", "text"))));
        assertEquals(false, decisions.decide(new SchemaChange.AddColumn(T, col("c", "text"))));
        assertEquals(false, decisions.decide(new SchemaChange.TruncateTable(T)));
        assertEquals(List.of("applied column a of shop.orders was renamed to b",
                "alert column c was added to shop.orders; the target is left as it is (addColumn policy: alert)",
                "alert table shop.orders was truncated on the source; the target is left as it is (truncate policy: alert)"), reported);
        TaskProblem stop = assertThrows(TaskProblem.class, () -> decisions.decide(new SchemaChange.DropColumn(T, col("d", "text"))));
        assertEquals("column d was dropped from shop.orders, and the task's dropColumn policy is error. Set schemaChanges to another "
                + "policy for dropColumn, or undo the change on the source, and restart the task.", stop.getMessage());
        // The change that stops the task is reported first, so the table's schema-change history shows it.
        assertEquals("stop column d was dropped from shop.orders (dropColumn policy: error, the task stops)", reported.get(reported.size() - 1));
        // A target that cannot apply a kind leaves its table as it is, whatever the policy says; error still stops.
        SchemaChangeDecisions all = new SchemaChangeDecisions(new SchemaChangePolicies("dropTable=apply,renameTable=error"), "t",
                reports);
        assertEquals(false, all.decide(new SchemaChange.DropTable(T), false, "topic t is kept as it is"));
        assertTrue(all.decide(new SchemaChange.DropTable(T), true, "kept"));
        assertThrows(TaskProblem.class, () -> all.decide(new SchemaChange.RenameTable(T, new TableId("shop", "o2")), false, "kept"));
    }

    @Test
    void aTargetMaySetAKindsDefault() {
        Map<SchemaChangePolicies.Kind, SchemaChangePolicies.Policy> truncates = Map.of(SchemaChangePolicies.Kind.TRUNCATE,
                SchemaChangePolicies.Policy.APPLY);
        assertEquals(SchemaChangePolicies.Policy.APPLY, new SchemaChangePolicies("", truncates).of(SchemaChangePolicies.Kind.TRUNCATE));
        assertEquals(SchemaChangePolicies.Policy.IGNORE,
                new SchemaChangePolicies("truncate=ignore", truncates).of(SchemaChangePolicies.Kind.TRUNCATE));
    }

    @Test
    void tableStatementsBecomeTypedChanges() {
        assertEquals(List.of(new SchemaChange.RenameTable(T, new TableId("shop", "o2")), new SchemaChange.RenameTable(new TableId("shop", "tmp"), T)),
                TableStatements.parse("RENAME TABLE orders TO o2, tmp TO orders", "shop").orElseThrow().changes());
        assertEquals(List.of(new SchemaChange.DropTable(T)), TableStatements.parse("DROP TABLE orders", "shop").orElseThrow().changes());
        assertEquals(List.of(new SchemaChange.TruncateTable(T)), TableStatements.parse("TRUNCATE orders", "shop").orElseThrow().changes());
        assertEquals(List.of(), TableStatements.parse("ALTER TABLE orders RENAME COLUMN a TO b", "shop").orElseThrow().changes());
    }

    @Test
    void columnChangesTakeRenamesFromTheSource() {
        TableSchema before = table(col("id", "integer"), col("name", "text"), col("qty", "integer"));
        TableSchema renamed = table(col("id", "integer"), col("title", "text"), col("qty", "integer"));
        assertEquals(List.of(new SchemaChange.RenameColumn(T, col("name", "text"), col("title", "text"))),
                ColumnChanges.between(before, renamed, Map.of("name", "title")));
        // The same shape without the source saying "renamed" is a drop and an add: nothing is guessed.
        assertEquals(List.of(new SchemaChange.DropColumn(T, col("name", "text")), new SchemaChange.AddColumn(T, col("title", "text"))),
                ColumnChanges.between(before, renamed, Map.of()));
        assertEquals(List.of(new SchemaChange.ChangeColumnType(T, col("qty", "integer"), col("qty", "bigint")), new SchemaChange.AddColumn(T, col("note", "text"))),
                ColumnChanges.between(before, table(col("id", "integer"), col("name", "text"), col("qty", "bigint"), col("note", "text")), Map.of()));
        // Renamed and retyped at once (MySQL's CHANGE a b BIGINT).
        assertEquals(List.of(new SchemaChange.RenameColumn(T, col("qty", "integer"), col("amount", "bigint")),
                new SchemaChange.ChangeColumnType(T, col("amount", "integer"), col("amount", "bigint"))),
                ColumnChanges.between(before, table(col("id", "integer"), col("name", "text"), col("amount", "bigint")), Map.of("qty", "amount")));
        assertEquals(List.of(), ColumnChanges.between(before, before, Map.of()));
    }

    @Test
    void wideningKnowsBothFamilies() {
        assertEquals(Change.WIDER, TypeWidening.compare("integer", "bigint"));
        assertEquals(Change.WIDER, TypeWidening.compare("smallint", "numeric(10,0)"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("bigint", "integer"));
        assertEquals(Change.WIDER, TypeWidening.compare("character varying(10)", "character varying(20)"));
        assertEquals(Change.WIDER, TypeWidening.compare("character varying(10)", "text"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("character varying(20)", "character varying(10)"));
        assertEquals(Change.WIDER, TypeWidening.compare("numeric(10,2)", "numeric(12,2)"));
        assertEquals(Change.WIDER, TypeWidening.compare("numeric(10,2)", "numeric(12,4)"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("numeric(10,2)", "numeric(10,4)"));
        assertEquals(Change.WIDER, TypeWidening.compare("real", "double precision"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("integer", "double precision"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("integer", "text"));
        assertEquals(Change.WIDER, TypeWidening.compare("timestamp(3) without time zone", "timestamp(6) without time zone"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("timestamp(6) without time zone", "timestamp(6) with time zone"));
        assertEquals(Change.SAME, TypeWidening.compare("int(11)", "int"));
        assertEquals(Change.WIDER, TypeWidening.compare("int(10) unsigned", "bigint(20)"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("int unsigned", "int"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("int", "int unsigned"));
        assertEquals(Change.WIDER, TypeWidening.compare("tinyint(4)", "mediumint(9)"));
        assertEquals(Change.WIDER, TypeWidening.compare("varchar(10)", "mediumtext"));
        assertEquals(Change.WIDER, TypeWidening.compare("text", "longtext"));
        assertEquals(Change.INCOMPATIBLE, TypeWidening.compare("longtext", "text"));
        assertEquals(Change.WIDER, TypeWidening.compare("varbinary(8)", "blob"));
        assertEquals(Change.WIDER, TypeWidening.compare("decimal(12,2)", "decimal(14,2)"));
        assertEquals(Change.WIDER, TypeWidening.compare("float", "double"));
    }

    @Test
    void tableStatementsAreRecognisedNotReplayed() {
        assertEquals(new TableStatements.Statement(TableStatements.Kind.TRUNCATE, List.of(T)),
                TableStatements.parse("TRUNCATE TABLE `orders`", "shop").orElseThrow());
        assertEquals(new TableStatements.Statement(TableStatements.Kind.TRUNCATE, List.of(new TableId("other db", "we`ird"))),
                TableStatements.parse("truncate `other db`.`we``ird`;", "shop").orElseThrow());
        assertEquals(new TableStatements.Statement(TableStatements.Kind.DROP, List.of(T, new TableId("shop", "items"))),
                TableStatements.parse("DROP TABLE IF EXISTS `orders`, items /* generated by server */", "shop").orElseThrow());
        assertEquals(new TableStatements.Statement(TableStatements.Kind.RENAME, List.of(T, new TableId("shop", "orders_v2"),
                new TableId("shop", "tmp"), T)), TableStatements.parse("RENAME TABLE orders TO orders_v2, tmp TO orders", "shop").orElseThrow());
        assertEquals(new TableStatements.Statement(TableStatements.Kind.RENAME, List.of(T, new TableId("shop", "bestellungen"))),
                TableStatements.parse("ALTER TABLE orders RENAME TO bestellungen", "shop").orElseThrow());
        assertEquals(new TableStatements.Statement(TableStatements.Kind.RENAME_COLUMNS, List.of(T), List.of("a", "b", "c d", "e")),
                TableStatements.parse("ALTER TABLE orders RENAME COLUMN a TO b, ADD COLUMN x decimal(10,2) DEFAULT ',', "
                        + "CHANGE COLUMN `c d` e BIGINT NOT NULL", "shop").orElseThrow());
        assertTrue(TableStatements.parse("ALTER TABLE orders RENAME TO o2, ADD COLUMN x int", "shop").isEmpty());
        assertTrue(TableStatements.parse("ALTER TABLE orders ADD COLUMN x int", "shop").isEmpty());
        assertTrue(TableStatements.parse("DROP DATABASE shop", "shop").isEmpty());
        assertTrue(TableStatements.parse("CREATE TABLE x (id int)", "shop").isEmpty());
    }

    private static Column col(String name, String type) {
        return new Column(name, type, true);
    }

    private static TableSchema table(Column... columns) {
        return new TableSchema(T, List.of(columns), List.of("id"), TableSchema.POSTGRESQL);
    }
}
