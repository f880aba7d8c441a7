package routes.sink;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.ProducerTemplate;

import routes.capture.SourceDatabase;
import routes.change.ChangeEvent;
import routes.change.ChangeKind;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.TableSchema;

/** What the sink tests feed the jdbc-merge-sink kamelet: a one-table PostgreSQL source and changes of that table. */
final class SinkFixtures {

    static final TableId ITEMS = new TableId("public", "items");

    private long sequence;

    /** A PostgreSQL source holding public.items (id, name NOT NULL, price), as the capture side would describe it. */
    static SourceDatabase oneTableSource() {
        TableSchema items = new TableSchema(ITEMS, List.of(new Column("id", "integer", false),
                new Column("name", "text", false), new Column("price", "numeric(8,2)", true)), List.of("id"), TableSchema.POSTGRESQL);
        return new SourceDatabase() {
            @Override
            public void check(boolean resuming) {
            }

            @Override
            public List<TableSchema> tables() {
                return List.of(items);
            }

            @Override
            public boolean capturesNewTables() {
                return true;
            }

            @Override
            public String databaseOf(TableId table) {
                return "shop";
            }

            @Override
            public String describe() {
                return "a test source";
            }
        };
    }

    /** Sends a row change the way the capture route does: with its kind and table headers. */
    static void send(ProducerTemplate template, ChangeEvent change) {
        template.sendBodyAndHeaders("direct:changes", change,
                Map.of(ChangeKind.HEADER, ChangeKind.ROW.name(), ChangeKind.TABLE_HEADER, change.table().toString()));
    }

    ChangeEvent upsert(int id, String name, String price) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("price", price);
        return new ChangeEvent(ITEMS, Operation.UPSERT, List.of("id"), Map.of("id", id), row, Set.of(),
                ++sequence, SourceOperation.INSERT, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:" + sequence));
    }

    ChangeEvent delete(int id) {
        return new ChangeEvent(ITEMS, Operation.DELETE, List.of("id"), Map.of("id", id), Map.of(), Set.of(),
                ++sequence, SourceOperation.DELETE, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:" + sequence));
    }
}
