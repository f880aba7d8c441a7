package routes.fullload;

/**
 * A table's full-load progress as JMX attributes, beside Debezium's own capture metrics:
 * {@code realtime-sync:type=full-load,task=TASK,table=SCHEMA.TABLE}.
 */
public interface FullLoadProgressMXBean {

    long getRowsCopied();

    /** The source's estimate of the table's rows (never below the rows copied). */
    long getRowsExpected();

    double getRowsPerSecond();

    /** Seconds left at the current rate; -1 while there is no rate yet, 0 when done. */
    long getSecondsLeft();
}
