package routes.sink;

import java.util.List;

import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.schema.TableSchema;

/**
 * The jdbc-merge-sink's target: each target row holds its source row's newest state (mirror mode: one target table
 * per source table; merge mode: several source tables in one target table, told apart by identity columns).
 */
public class JdbcMergeWriter extends JdbcWriter {

    /** Merged target tables keep rows whose source is gone (other tables still fill them). */
    @Override
    boolean keepsHistory() {
        return mapper.merges();
    }

    @Override
    TableSchema shapeOf(TableSchema target) {
        return target;
    }

    /** A batch's last change per key, its values as the target writes them. */
    @Override
    List<ChangeEvent> rowsOf(ChangeBatch batch) {
        return BatchReducer.reduce(sql.asWritten(batch.events(), sourceSchemas.get(batch.table())));
    }

    /** A merged target table holds the rows of several source tables: replacing its rows would take the others' too. */
    @Override
    String reloadRefused(Reload reload) {
        return mapper.merges() && !reload.isBackfill() ? "its target table merges several source tables (mode merge), and a "
                + "resync replaces a target table's rows; backfill it (POST .../backfill with a WHERE that selects every row, "
                + "e.g. 1=1) to copy its rows anew" : null;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public void setIdentityColumns(String identityColumns) {
        this.identityColumns = identityColumns;
    }

    public void setAssignments(String assignments) {
        this.assignments = assignments;
    }
}
