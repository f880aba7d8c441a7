package routes.capture;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Notices when a table's rows arrive with another structure than before (a column added, dropped, renamed or
 * retyped), which is the only sign of a schema change PostgreSQL gives and the exact moment it takes effect on any
 * source. Sets {@link #HEADER} to {@code first} on a table's first row in this run and {@code changed} when the row
 * structure differs from the previous row's, so the route can bring the target up to date before this row.
 * Debezium reuses one schema object per table version, so the check is one identity comparison per row.
 */
public class SchemaWatch implements Processor {

    public static final String HEADER = "RealtimeSyncSchemaChanged";
    /** The row's column names, sent along with {@link #HEADER}. */
    public static final String COLUMNS_HEADER = "RealtimeSyncColumns";
    /**
     * MySQL-family sources: the row's column types as the source writes them (e.g. {@code varchar(40)}), where the
     * row schema tells them exactly; for a column the source's catalog no longer has by the time the row arrives.
     */
    public static final String TYPES_HEADER = "RealtimeSyncColumnTypes";
    private static final Set<String> SIZED = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "char",
            "varchar", "binary", "varbinary");
    private static final Set<String> UNSIZED = Set.of("float", "double", "date", "tinytext", "text", "mediumtext", "longtext", "tinyblob",
            "blob", "mediumblob", "longblob", "json");

    /**
     * Per table (its schema or database and its name; not its row schema's name, which Debezium derives from a topic
     * name where every non-ASCII letter is '_', so "订单" and "客户" share one): the row and key schemas of its last row.
     */
    private final Map<List<Object>, List<Schema>> lastSeen = new ConcurrentHashMap<>();

    /**
     * The column type from Debezium's propagated source type, length and scale, for the plain types whose text they
     * determine; null for the others (ENUM values, temporal precision, spatial types are not in them).
     */
    static String mySqlType(Map<String, String> parameters) {
        if (parameters == null || parameters.get("__debezium.source.column.type") == null) {
            return null;
        }
        String[] words = parameters.get("__debezium.source.column.type").toLowerCase(Locale.ROOT).split("\\s+");
        String base = words[0];
        boolean unsigned = words.length > 1 && words[1].equals("unsigned");
        String length = parameters.get("__debezium.source.column.length");
        String scale = parameters.get("__debezium.source.column.scale");
        if (UNSIZED.contains(base)) {
            return base + (unsigned ? " unsigned" : "");
        }
        if (!SIZED.contains(base) || length == null) {
            return null;
        }
        String size = base.equals("decimal") && scale != null ? length + "," + scale : length;
        return base + "(" + size + ")" + (unsigned ? " unsigned" : "");
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        if (!(in.getBody() instanceof Struct row) || row.schema().name() == null) {
            return;
        }
        Schema schema = row.schema();
        // The key's schema too: a primary key can change while the columns stay.
        Schema key = in.getHeader(DebeziumConstants.HEADER_KEY) instanceof Struct k ? k.schema() : null;
        @SuppressWarnings("unchecked")
        Map<String, Object> source = in.getHeader(DebeziumConstants.HEADER_SOURCE_METADATA, Map.class);
        List<Object> table = source == null ? List.of(schema.name())
                : Arrays.asList(source.get("schema") != null ? source.get("schema") : source.get("db"), source.get("table"));
        List<Schema> before = lastSeen.get(table);
        if (before != null && before.get(0) == schema && before.get(1) == key) {
            return;
        }
        List<Schema> now = Arrays.asList(schema, key);
        lastSeen.put(table, now);
        if (now.equals(before)) {
            return;
        }
        boolean pgoutput = source != null && "postgresql".equals(source.get("connector"));
        in.setHeader(HEADER, before == null ? "first" : "changed");
        in.setHeader(COLUMNS_HEADER, schema.fields().stream().map(Field::name).toList());
        if (!pgoutput) {
            Map<String, String> types = new HashMap<>();
            for (Field field : schema.fields()) {
                String type = mySqlType(field.schema().parameters());
                if (type != null) {
                    types.put(field.name(), type);
                }
            }
            in.setHeader(TYPES_HEADER, types);
        }
    }
}
