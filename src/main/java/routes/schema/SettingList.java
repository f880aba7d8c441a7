package routes.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a task setting made of entries separated by semicolons ({@code a=1;b=2}). A semicolon inside single quotes
 * belongs to its entry, so SQL conditions and quoted constants may hold one.
 */
public final class SettingList {

    private SettingList() {
    }

    /** The trimmed, non-empty entries; none for a null or blank setting (an unset kamelet parameter is empty). */
    public static List<String> entries(String setting) {
        List<String> entries = new ArrayList<>();
        if (setting == null) {
            return entries;
        }
        StringBuilder entry = new StringBuilder();
        boolean quoted = false;
        for (char c : setting.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                add(entries, entry);
            } else {
                entry.append(c);
            }
        }
        add(entries, entry);
        return entries;
    }

    private static void add(List<String> entries, StringBuilder entry) {
        String text = entry.toString().trim();
        if (!text.isEmpty()) {
            entries.add(text);
        }
        entry.setLength(0);
    }
}
