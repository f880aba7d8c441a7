package routes.ops.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks every secret in a task's YAML before the API shows it: the value of every property whose name holds
 * password, secret, token, key or credential (YAML keys, URI and JDBC parameters, JAAS options, a URL's user
 * information), and anywhere in the text the value of every environment variable or system property that holds a
 * secret (by its name, or because a secret property names it as a placeholder). Errs on the side of masking.
 */
final class SecretMask {

    static final String MASK = "******";
    /** Names of properties whose value is a secret. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)password|passwd|secret|token|key|credential|jaas");
    /** {@code name: value} in YAML, also as a list item; group 3 the name, 4 the value. */
    private static final Pattern YAML_PROPERTY = Pattern.compile("^(\\s*(?:-\\s+)?)([\"']?)([^\\s:#\"'][^:#\"']*?)\\2\\s*:(?:\\s+(.*))?$");
    /** {@code name=value} in URIs, JDBC URLs and JAAS options; the value may be quoted or RAW(...). */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "([A-Za-z0-9_.\\-]*(?:password|passwd|secret|token|key|credential)[A-Za-z0-9_.\\-]*)(\\s*=\\s*)"
                    + "(RAW\\([^)]*\\)|\"[^\"]*\"|'[^']*'|[^&;\\s\"']+)",
            Pattern.CASE_INSENSITIVE);
    /** {@code name: value} inside a line (YAML flow maps, a placeholder's default {@code {{X_PASSWORD:value}}}). */
    private static final Pattern INLINE_PROPERTY = Pattern.compile(
            "([A-Za-z0-9_.\\-]*(?:password|passwd|secret|token|key|credential|jaas)[A-Za-z0-9_.\\-]*)(\"?\\s*:\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|[^,}\\s\"']+)",
            Pattern.CASE_INSENSITIVE);
    /** The password of {@code scheme://user:password@host}. */
    private static final Pattern USER_INFO = Pattern.compile("(://[^/:@\\s\"']+:)([^@/\\s\"']+)(@)");
    /** A property placeholder's name: {@code {{NAME}}}, {@code {{NAME:default}}}, {@code ${NAME}}, {@code {{env:NAME}}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("(?:\\{\\{|\\$\\{)(?:env:|sys:)?([A-Za-z0-9_.\\-]+)");
    /** Values shorter than this are not searched for in the text (they would mask unrelated words). */
    private static final int SHORTEST_VALUE = 4;

    private final List<String> values;

    private SecretMask(List<String> values) {
        this.values = values;
    }

    /**
     * A mask for {@code yaml}, with the secrets among {@code environment} and {@code properties} (the process's
     * environment and system properties, which placeholders read from).
     */
    static SecretMask of(String yaml, Map<String, String> environment, Map<String, String> properties) {
        Set<String> secretNames = new LinkedHashSet<>();
        for (String line : yaml.split("\n", -1)) {
            Matcher property = YAML_PROPERTY.matcher(line);
            if (property.matches() && isSecret(property.group(3)) && property.group(4) != null) {
                Matcher placeholder = PLACEHOLDER.matcher(property.group(4));
                while (placeholder.find()) {
                    secretNames.add(placeholder.group(1));
                }
            }
        }
        Set<String> values = new LinkedHashSet<>();
        for (Map<String, String> source : List.of(environment, properties)) {
            source.forEach((name, value) -> {
                if ((isSecret(name) || secretNames.contains(name)) && value != null && value.strip().length() >= SHORTEST_VALUE) {
                    values.add(value);
                    values.add(value.strip());
                    values.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            });
        }
        List<String> longestFirst = new ArrayList<>(values);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMask(longestFirst);
    }

    /** The process's own environment and system properties. */
    static SecretMask of(String yaml) {
        Map<String, String> properties = new java.util.HashMap<>();
        System.getProperties().forEach((name, value) -> properties.put(String.valueOf(name), String.valueOf(value)));
        return of(yaml, System.getenv(), properties);
    }

    static boolean isSecret(String name) {
        return SECRET_NAME.matcher(name).find();
    }

    String mask(String yaml) {
        StringBuilder masked = new StringBuilder();
        int blockIndent = -1;
        for (String line : yaml.split("\n", -1)) {
            int indent = line.length() - line.stripLeading().length();
            if (blockIndent >= 0 && (line.isBlank() || indent > blockIndent)) {
                // A line of a secret's multi-line value.
                masked.append(line.isBlank() ? line : line.substring(0, indent) + MASK).append('\n');
                continue;
            }
            blockIndent = -1;
            Matcher property = YAML_PROPERTY.matcher(line);
            String out = line;
            if (!line.stripLeading().startsWith("#") && property.matches() && isSecret(property.group(3)) && property.group(4) != null
                    && !property.group(4).isBlank()) {
                String value = property.group(4).strip();
                if (value.startsWith("|") || value.startsWith(">")) {
                    blockIndent = indent;
                }
                out = line.substring(0, property.start(4)) + MASK;
            }
            out = INLINE_PROPERTY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
            out = ASSIGNMENT.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
            out = USER_INFO.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)));
            for (String value : values) {
                out = out.replace(value, MASK);
            }
            masked.append(out).append('\n');
        }
        masked.setLength(masked.length() - 1);
        return masked.toString();
    }
}
