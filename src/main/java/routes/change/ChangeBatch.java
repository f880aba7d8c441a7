package routes.change;

import java.util.ArrayList;
import java.util.List;

/** The changes the aggregator collected for one target table, in source order. */
public final class ChangeBatch {

    private final TableId table;
    private final List<ChangeEvent> events = new ArrayList<>();

    public ChangeBatch(TableId table) {
        this.table = table;
    }

    public TableId table() {
        return table;
    }

    public List<ChangeEvent> events() {
        return events;
    }

    public void add(ChangeEvent event) {
        events.add(event);
    }

    /** Arrival order of the batch's first change. */
    public long firstSequence() {
        return events.isEmpty() ? Long.MAX_VALUE : events.get(0).sequence();
    }

    public int size() {
        return events.size();
    }
}
