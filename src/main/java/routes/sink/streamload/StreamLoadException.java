package routes.sink.streamload;

/** A Stream Load request that did not get a usable answer; {@code transient} when sending it again may work. */
public final class StreamLoadException extends Exception {

    private final boolean transientFailure;

    public StreamLoadException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
