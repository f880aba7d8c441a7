package routes.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import routes.sink.dialect.DuckDbDialect;

/**
 * The mapping tables in the docs, checked against the type model: every source type a row names in code (with n=10,
 * p=12, s=2 for its parameters) must be written as the target type the row names in the same place, or, where a row
 * lists more targets than sources, as one of them. A row also saying {@code `a`: `b`} states that pair.
 */
class TypeMappingDocsTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern PAIR = Pattern.compile("`([^`]+)`:\\s*`([^`]+)`");
    /** "`json` (a `longtext` on MariaDB)": the catalog's text of the type is the second. */
    private static final Pattern READ_AS = Pattern.compile("`([^`]+)`\\s*\\(a `([^`]+)` on [^)]*\\)");
    /** Short names the docs use, as the catalogs write them. */
    private static final Map<String, String> POSTGRES_NAMES = Map.of("timestamptz", "timestamp with time zone", "timetz",
            "time with time zone", "varbit", "bit varying");
    private static final Map<String, String> MYSQL_NAMES = Map.of("boolean", "tinyint(1)");

    @Test
    void postgresToMySqlTable() throws IOException {
        check("docs/type-mapping.md", "PostgreSQL -> MySQL/MariaDB:", TypeMappingDocsTest::postgres,
                t -> MySqlTypes.write(PostgresTypes.read(t)), TypeMappingDocsTest::upper);
    }

    @Test
    void postgresToPostgresTable() throws IOException {
        check("docs/type-mapping.md", "PostgreSQL -> PostgreSQL:", TypeMappingDocsTest::postgres,
                t -> PostgresTypes.write(PostgresTypes.read(t)), TypeMappingDocsTest::postgres);
    }

    @Test
    void mySqlToPostgresTable() throws IOException {
        List<String> sources = check("docs/type-mapping.md", "MySQL/MariaDB -> PostgreSQL", TypeMappingDocsTest::mysql,
                t -> PostgresTypes.write(MySqlTypes.read(t)), TypeMappingDocsTest::postgres);
        // DuckDB's table names PostgreSQL types: "MySQL-family types first map as for PostgreSQL".
        DuckDbDialect duckDb = new DuckDbDialect(false);
        for (String source : sources) {
            assertEquals(duckDb.targetType(TypeSystem.POSTGRESQL.read(PostgresTypes.write(MySqlTypes.read(source)))),
                    duckDb.targetType(MySqlTypes.read(source)), source);
        }
    }

    @Test
    void duckDbTable() throws IOException {
        DuckDbDialect duckDb = new DuckDbDialect(false);
        check("docs/targets.md", "| source type (PostgreSQL's name", TypeMappingDocsTest::postgres,
                t -> duckDb.targetType(PostgresTypes.read(t)), TypeMappingDocsTest::upper);
    }

    /**
     * Checks the table after the line starting with {@code heading}; returns the source types it checked (as the
     * catalog writes them).
     */
    private static List<String> check(String page, String heading, Function<String, String> sourceName, Function<String, String> write,
            Function<String, String> targetName) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(page));
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith(heading)) {
            at++;
        }
        assertTrue(at < lines.size(), page + " has no line starting with " + heading);
        while (!lines.get(at).startsWith("| ---") && !lines.get(at).startsWith("|---")) {
            at++;
        }
        List<String> checked = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (at++; at < lines.size() && lines.get(at).startsWith("|"); at++) {
            String[] cells = lines.get(at).split("\\|");
            String sourceCell = cells[1];
            String targetCell = cells[2];
            List<String[]> pairs = new ArrayList<>();
            Matcher pair = PAIR.matcher(targetCell);
            while (pair.find()) {
                pairs.add(new String[] {pair.group(1), pair.group(2)});
            }
            targetCell = PAIR.matcher(targetCell).replaceAll("");
            List<String> sources = codes(READ_AS.matcher(sourceCell).replaceAll("`$2`"));
            List<String> targets = codes(targetCell);
            boolean positional = sources.size() == targets.size();
            for (int i = 0; i < sources.size(); i++) {
                List<String> expected = positional ? List.of(targets.get(i)) : targets;
                for (String source : expand(sources.get(i))) {
                    String read = sourceName.apply(source);
                    checked.add(read);
                    String written = write.apply(read);
                    if (expected.stream().noneMatch(t -> targetName.apply(values(t)).equals(targetName.apply(written)))) {
                        wrong.add(source + " -> " + written + ", the docs say " + expected);
                    }
                }
            }
            for (String[] stated : pairs) {
                String written = write.apply(sourceName.apply(values(stated[0])));
                if (!targetName.apply(values(stated[1])).equals(targetName.apply(written))) {
                    wrong.add(stated[0] + " -> " + written + ", the docs say " + stated[1]);
                }
            }
        }
        assertEquals(List.of(), wrong, page + ", table after '" + heading + "'");
        assertTrue(checked.size() >= 3, page + ": the table after '" + heading + "' names few types: " + checked);
        return checked;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    /** {@code *text} is every text type; parameters get values. */
    private static List<String> expand(String source) {
        if (source.startsWith("*")) {
            String suffix = source.substring(1);
            return List.of("tiny" + suffix, suffix, "medium" + suffix, "long" + suffix);
        }
        return List.of(values(source));
    }

    /** n=10, p=12, s=2, an array element t = integer; a condition on n is dropped; max(a, b) and a+b are computed. */
    private static String values(String type) {
        String text = type.replaceAll("\\((n|p)\\s*[<>]=?\\s*\\d+\\)", "($1)").replaceAll("^t\\[]$", "integer[]").replaceAll("^T\\[]$", "INTEGER[]");
        text = replace(text, Pattern.compile("(\\d+)n\\b"), m -> Integer.toString(Integer.parseInt(m.group(1)) * 10));
        text = text.replaceAll("\\bn\\b", "10").replaceAll("\\bp\\b", "12").replaceAll("\\bs\\b", "2");
        text = replace(text, Pattern.compile("(\\d+)\\+(\\d+)"), m -> Integer.toString(Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2))));
        return replace(text, Pattern.compile("max\\((\\d+),\\s*(\\d+)\\)"),
                m -> Integer.toString(Math.max(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))));
    }

    private static String replace(String text, Pattern pattern, Function<Matcher, String> value) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, value.apply(m));
        }
        return m.appendTail(out).toString();
    }

    /** A PostgreSQL type as format_type() writes it. */
    private static String postgres(String type) {
        String name = normal(type);
        Matcher m = Pattern.compile("^([a-z ]+?)(\\(\\d+\\))?$").matcher(name);
        if (m.matches() && POSTGRES_NAMES.containsKey(m.group(1))) {
            String[] parts = POSTGRES_NAMES.get(m.group(1)).split(" ", 2);
            return parts[0] + (m.group(2) == null ? "" : m.group(2)) + " " + parts[1];
        }
        if (m.matches() && (m.group(1).equals("timestamp") || m.group(1).equals("time"))) {
            return m.group(1) + (m.group(2) == null ? "" : m.group(2)) + " without time zone";
        }
        return name;
    }

    private static String mysql(String type) {
        return MYSQL_NAMES.getOrDefault(normal(type), type);
    }

    private static String upper(String type) {
        return normal(type).toUpperCase(Locale.ROOT);
    }

    private static String normal(String type) {
        return type.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
