package routes.change;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A row image that is converted only when a writer asks for it: most writers never read the image before a change,
 * and converting it for every captured update would cost the streaming path for nothing.
 */
public final class RowImage {

    /** The source sent no image (PostgreSQL's default replica identity, a full-load row, an insert). */
    public static final RowImage NONE = new RowImage(Map::of);

    private Supplier<Map<String, Object>> conversion;
    private Map<String, Object> values;

    private RowImage(Supplier<Map<String, Object>> conversion) {
        this.conversion = conversion;
    }

    public static RowImage of(Map<String, Object> values) {
        RowImage image = new RowImage(null);
        image.values = values;
        return image;
    }

    /** An image converted at most once, on first use. */
    public static RowImage lazy(Supplier<Map<String, Object>> conversion) {
        return new RowImage(conversion);
    }

    /** Column -> Java value (see {@link routes.capture.DebeziumValues}); empty when the source sent no image. */
    public synchronized Map<String, Object> values() {
        if (values == null) {
            values = conversion.get();
            conversion = null;
        }
        return values;
    }

    public boolean isEmpty() {
        return values().isEmpty();
    }
}
