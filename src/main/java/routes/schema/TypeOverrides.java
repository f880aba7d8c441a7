package routes.schema;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Target column types a task chooses per source column type, instead of the built-in mapping: the sink's
 * {@code typeMapping} setting, {@code sourceType=targetType} pairs separated by semicolons (for example
 * {@code longtext=bytea;tinyint(1)=boolean}). A source type matches case-insensitively, first by its full type text
 * ({@code tinyint(1)}, {@code timestamp(3) with time zone}), then by its base name, the text before its first
 * parenthesis ({@code year}, {@code timestamp}).
 */
public final class TypeOverrides {

    public static final TypeOverrides NONE = new TypeOverrides(Map.of());

    private final Map<String, String> targets;

    private TypeOverrides(Map<String, String> targets) {
        this.targets = targets;
    }

    /** Reads the setting; blank means no overrides. A pair without both sides fails with the pair named. */
    public static TypeOverrides parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        Map<String, String> targets = new LinkedHashMap<>();
        for (String pair : setting.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String source = eq < 0 ? "" : normalized(pair.substring(0, eq));
            String target = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (source.isEmpty() || target.isEmpty()) {
                throw new IllegalArgumentException("typeMapping: '" + pair.trim() + "' is not sourceType=targetType "
                        + "(pairs are separated by semicolons, e.g. longtext=bytea;year=integer)");
            }
            targets.put(source, target);
        }
        return new TypeOverrides(Map.copyOf(targets));
    }

    /** The target type chosen for this source column type, if the task chose one. */
    public Optional<String> targetFor(String sourceType) {
        if (targets.isEmpty() || sourceType == null) {
            return Optional.empty();
        }
        String full = normalized(sourceType);
        String target = targets.get(full);
        int parenthesis = full.indexOf('(');
        int closing = full.indexOf(')', parenthesis);
        if (target == null && parenthesis > 0 && closing > parenthesis) {
            // PostgreSQL writes the precision inside the name: timestamp(3) without time zone
            target = targets.get(normalized(full.substring(0, parenthesis) + full.substring(closing + 1)));
        }
        if (target == null && parenthesis > 0) {
            target = targets.get(full.substring(0, parenthesis).trim());
        }
        return Optional.ofNullable(target);
    }

    /** Lower case with single spaces, so that "Character  Varying(10)" and "character varying(10)" match. */
    private static String normalized(String type) {
        return type.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
