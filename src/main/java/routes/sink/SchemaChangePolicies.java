package routes.sink;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import routes.ops.TaskProblem;

/**
 * What a task does with each kind of source schema change (the sink's {@code schemaChanges} setting, e.g.
 * {@code dropColumn=apply,truncate=apply}). The defaults never remove target data unasked.
 */
public final class SchemaChangePolicies {

    public enum Kind {
        CREATE_TABLE("createTable", Policy.APPLY),
        ADD_COLUMN("addColumn", Policy.APPLY),
        DROP_COLUMN("dropColumn", Policy.IGNORE),
        RENAME_COLUMN("renameColumn", Policy.APPLY),
        MODIFY_COLUMN_TYPE("modifyColumnType", Policy.APPLY),
        TRUNCATE("truncate", Policy.ALERT),
        DROP_TABLE("dropTable", Policy.ALERT),
        RENAME_TABLE("renameTable", Policy.ALERT);

        public final String setting;
        final Policy defaultPolicy;

        Kind(String setting, Policy defaultPolicy) {
            this.setting = setting;
            this.defaultPolicy = defaultPolicy;
        }
    }

    public enum Policy {
        /** Change the target the same way. */
        APPLY,
        /** Leave the target as it is. */
        IGNORE,
        /** Stop the task with the reason. */
        ERROR,
        /** Leave the target as it is and raise an alert. */
        ALERT
    }

    private final Map<Kind, Policy> policies = new EnumMap<>(Kind.class);

    public SchemaChangePolicies(String setting) {
        this(setting, Map.of());
    }

    /**
     * {@code targetDefaults}: the kinds whose default a target sets otherwise (a Kafka target's writeTruncates makes
     * truncate apply); the setting still rules them.
     */
    public SchemaChangePolicies(String setting, Map<Kind, Policy> targetDefaults) {
        for (Kind kind : Kind.values()) {
            policies.put(kind, targetDefaults.getOrDefault(kind, kind.defaultPolicy));
        }
        if (setting == null || setting.isBlank()) {
            return;
        }
        for (String pair : setting.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            Kind kind = Arrays.stream(Kind.values()).filter(k -> k.setting.equalsIgnoreCase(parts[0].trim())).findFirst()
                    .orElseThrow(() -> new TaskProblem("schemaChanges: '" + parts[0].trim() + "' is not a kind of schema change; use "
                            + Arrays.stream(Kind.values()).map(k -> k.setting).collect(Collectors.joining(", ")) + "."));
            String policy = parts.length < 2 ? "" : parts[1].trim().toUpperCase(Locale.ROOT);
            try {
                policies.put(kind, Policy.valueOf(policy));
            } catch (IllegalArgumentException e) {
                throw new TaskProblem("schemaChanges: '" + pair.trim() + "' names no policy; use " + kind.setting
                        + "=apply, ignore, error or alert.");
            }
        }
    }

    public Policy of(Kind kind) {
        return policies.get(kind);
    }
}
