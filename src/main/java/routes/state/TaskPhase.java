package routes.state;

/** Where a task is in its life, as its registry shows it. */
public enum TaskPhase {
    /** Its writer is up; the capture has not opened the target yet. */
    STARTING,
    /**
     * Run under leader election (docs/scale-out.md): another instance of the task leads and captures; this one waits
     * to take over, reading nothing and writing nothing.
     */
    STANDBY,
    /** Copying the tables' existing rows (the full load), changes following after. */
    FULL_LOAD,
    /** Every table loaded: changes flow as they are committed on the source. */
    STREAMING,
    /** Stopped on request (its CamelContext or route stopped). */
    STOPPED,
    /** Stopped on an error, the task's failure says which. */
    FAILED
}
