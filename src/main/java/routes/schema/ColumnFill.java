package routes.schema;

/**
 * What the rows a source table held when a column was added to it hold in that column: nothing (NULL), one
 * constant (as the source's own text for the column's type), or values the task cannot know, such as those of a
 * volatile default ({@code random()}), which the source evaluated once per row.
 *
 * @param text       the constant as the source writes it; null for NULL or unknown values
 * @param unknownWhy why the values cannot be known (the default expression); null when they can
 */
public record ColumnFill(String text, String unknownWhy) {

    public static final ColumnFill NULL = new ColumnFill(null, null);

    public static ColumnFill constant(String text) {
        return text == null ? NULL : new ColumnFill(text, null);
    }

    public static ColumnFill unknown(String why) {
        return new ColumnFill(null, why);
    }

    public boolean known() {
        return unknownWhy == null;
    }
}
