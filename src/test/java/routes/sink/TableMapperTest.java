package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import routes.ops.TaskProblem;
import routes.schema.Column;
import routes.schema.TableSchema;

class TableMapperTest {

    private static final TableSchema ITEMS = SinkFixtures.oneTableSource().tables().get(0);

    private static TableSchema target(String identity, List<Column> assigned) {
        TableMapper mapper = new TableMapper("${table_name}", "mirror", identity, "", "src", assigned);
        return mapper.plan(List.of(ITEMS), SinkFixtures.oneTableSource(), Optional.empty()).targets().values().iterator().next();
    }

    @Test
    void assignedColumnsFollowTheSourceColumnsAndStayOutOfTheKey() {
        TableSchema target = target("", List.of(new Column("etl_op", "text", true), new Column("loaded", "timestamptz", true)));
        assertEquals(List.of("id", "name", "price", "etl_op", "loaded"), target.columnNames());
        assertEquals(new Column("loaded", "timestamptz", true), target.column("loaded").orElseThrow());
        assertEquals(List.of("id"), target.primaryKey());
    }

    @Test
    void identityColumnsComeFirstAndAssignedOnesLast() {
        TableSchema target = target("source_database_name", List.of(new Column("etl_op", "text", true)));
        assertEquals(List.of("source_database_name", "id", "name", "price", "etl_op"), target.columnNames());
        assertEquals(List.of("source_database_name", "id"), target.primaryKey());
    }

    @Test
    void anAssignedColumnCannotReplaceASourceColumn() {
        assertThrows(TaskProblem.class, () -> target("", List.of(new Column("price", "text", true))));
    }
}
