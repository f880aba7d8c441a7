package routes.sink.dialect;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import routes.change.ChangeEvent;
import routes.change.SourceOperation;
import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * Debezium's binlog reader turns a DATE or DATETIME holding a zero date (0000-00-00, or a zero year, month or day) into
 * NULL before any converter sees the value, and then a NOT NULL column's NULL into the epoch (1970-01-01); a zero
 * TIMESTAMP arrives as NULL too. So an update that leaves such a column as it was carries the same stand-in before and
 * after. A MySQL-family target holds the zero date the full load copied: for that column it keeps its own value, as for
 * a value the source did not send, instead of taking the stand-in.
 */
final class HiddenZeroDates {

    private static final Set<String> DATE_TYPES = Set.of("date", "datetime", "timestamp");
    private static final LocalDateTime EPOCH = LocalDate.EPOCH.atStartOfDay();

    private HiddenZeroDates() {
    }

    /** The events with each unchanged stand-in of a MySQL-family source's date column marked as not sent. */
    static List<ChangeEvent> keepTargetValues(List<ChangeEvent> events, TableSchema source) {
        if (source == null || !TableSchema.MYSQL.equals(source.typeSystem())) {
            return events;
        }
        List<String> dates = source.columns().stream().filter(c -> DATE_TYPES.contains(baseType(c)))
                .map(Column::name).filter(c -> !source.primaryKey().contains(c)).toList();
        if (dates.isEmpty()) {
            return events;
        }
        List<ChangeEvent> kept = new ArrayList<>(events.size());
        for (ChangeEvent event : events) {
            kept.add(event.sourceOperation() == SourceOperation.UPDATE && !event.before().isEmpty() ? keep(event, dates) : event);
        }
        return kept;
    }

    private static ChangeEvent keep(ChangeEvent event, List<String> dates) {
        Map<String, Object> before = event.before().values();
        Set<String> unchanged = new HashSet<>();
        for (String column : dates) {
            Object value = event.row().get(column);
            if (event.row().containsKey(column) && isStandIn(value) && before.containsKey(column) && Objects.equals(before.get(column), value)) {
                unchanged.add(column);
            }
        }
        if (unchanged.isEmpty()) {
            return event;
        }
        Map<String, Object> row = new LinkedHashMap<>(event.row());
        row.keySet().removeAll(unchanged);
        unchanged.addAll(event.unavailable());
        return new ChangeEvent(event.table(), event.operation(), event.keyColumns(), event.key(), row, Set.copyOf(unchanged),
                event.sequence(), event.sourceOperation(), event.eventTime(), event.before(), event.position());
    }

    private static boolean isStandIn(Object value) {
        return value == null || LocalDate.EPOCH.equals(value) || EPOCH.equals(value);
    }

    private static String baseType(Column column) {
        String type = column.sourceType().toLowerCase(Locale.ROOT).trim();
        int end = 0;
        while (end < type.length() && Character.isLetter(type.charAt(end))) {
            end++;
        }
        return type.substring(0, end);
    }
}
