package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Schema, table, column and key names in German, Chinese and emoji, streamed from PostgreSQL (pgoutput): a table
 * whose only key column is non-ASCII, composite keys with one non-ASCII column, a key of two non-ASCII columns. Full
 * load, then inserts, updates of other columns, key updates and deletes, a stop and a start with changes made
 * while stopped, and columns with such names added while streaming; the target holds the source's rows throughout.
 */
class PostgresUnicodeNamesIT {

    /** Table -> ORDER BY of its key, for the digest. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("\"商店\".\"订单\"", "\"编号\"");
        TABLES.put("\"商店\".\"客户\"", "\"客户号\"");
        TABLES.put("public.\"Maße\"", "id, \"Größe\"");
        TABLES.put("\"Lager 🚚\".\"Kisten 📦\"", "\"Nr 🔑\", \"Fach\"");
        TABLES.put("public.\"Fächer\"", "\"Reihe\", \"Spalte ✓\"");
    }

    private static final String SCHEMAS = "public,商店,Lager 🚚";

    @Test
    void nonAsciiNamesAndKeysStreamLikeAnyOther() throws Exception {
        try (PostgresPair pair = new PostgresPair("unicode-names")) {
            pair.source(
                    "CREATE SCHEMA \"商店\"",
                    "CREATE TABLE \"商店\".\"订单\" (\"编号\" bigint PRIMARY KEY, \"名称\" text, \"数量\" int)",
                    "INSERT INTO \"商店\".\"订单\" SELECT i, '商品 ' || i, i % 10 FROM generate_series(1, 500) i",
                    // Debezium's topic (and record schema) name of both tables, non-ASCII letters replaced, is "__.__".
                    "CREATE TABLE \"商店\".\"客户\" (\"客户号\" int PRIMARY KEY, \"姓名\" text)",
                    "INSERT INTO \"商店\".\"客户\" SELECT i, '客户 ' || i FROM generate_series(1, 100) i",
                    // Three rows share each id: a key read without "Größe" merges them.
                    "CREATE TABLE \"Maße\" (id int, \"Größe\" text, \"Preis €\" numeric(10,2), note text, PRIMARY KEY (id, \"Größe\"))",
                    "INSERT INTO \"Maße\" SELECT i / 3, (ARRAY['S','M','L'])[1 + i % 3], i * 1.5, 'n' || i FROM generate_series(0, 899) i",
                    "CREATE SCHEMA \"Lager 🚚\"",
                    "CREATE TABLE \"Lager 🚚\".\"Kisten 📦\" (\"Nr 🔑\" int, \"Fach\" text, \"Inhalt ✉\" text, PRIMARY KEY (\"Nr 🔑\", \"Fach\"))",
                    "INSERT INTO \"Lager 🚚\".\"Kisten 📦\" SELECT i / 2, 'F' || i % 2, 'Inhalt ' || i FROM generate_series(0, 399) i",
                    "CREATE TABLE \"Fächer\" (\"Reihe\" text, \"Spalte ✓\" int, \"Zustand\" text, PRIMARY KEY (\"Reihe\", \"Spalte ✓\"))",
                    "INSERT INTO \"Fächer\" SELECT 'Ä' || i / 4, i % 4, 'leer' FROM generate_series(0, 199) i");

            try (SyncProcess sync = pair.startSyncOfSchemas("run-1", SCHEMAS)) {
                assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(3)), "after the full load");
                pair.source(
                        "INSERT INTO \"商店\".\"订单\" SELECT i, '新 ' || i, 1 FROM generate_series(1001, 1050) i",
                        "UPDATE \"商店\".\"订单\" SET \"名称\" = '改 ' || \"编号\", \"数量\" = \"数量\" + 1 WHERE \"编号\" % 7 = 0",
                        "UPDATE \"商店\".\"订单\" SET \"编号\" = \"编号\" + 10000 WHERE \"编号\" BETWEEN 10 AND 20",
                        "DELETE FROM \"商店\".\"订单\" WHERE \"编号\" % 11 = 0",
                        "INSERT INTO \"商店\".\"客户\" VALUES (101, '新客户')",
                        "UPDATE \"商店\".\"客户\" SET \"姓名\" = '改名' WHERE \"客户号\" % 4 = 0",
                        "UPDATE \"商店\".\"订单\" SET \"名称\" = '交替' WHERE \"编号\" = 1",
                        "DELETE FROM \"商店\".\"客户\" WHERE \"客户号\" = 3",
                        "INSERT INTO \"Maße\" VALUES (1000, 'XL', 1.00, 'neu'), (1000, 'S', 2.00, 'neu')",
                        "UPDATE \"Maße\" SET \"Preis €\" = \"Preis €\" + 0.01, note = 'M geändert' WHERE \"Größe\" = 'M'",
                        "UPDATE \"Maße\" SET \"Größe\" = 'XS' WHERE \"Größe\" = 'S' AND id < 50",
                        "DELETE FROM \"Maße\" WHERE \"Größe\" = 'L' AND id % 5 = 0",
                        "UPDATE \"Lager 🚚\".\"Kisten 📦\" SET \"Inhalt ✉\" = 'leer 📭' WHERE \"Fach\" = 'F1'",
                        "UPDATE \"Lager 🚚\".\"Kisten 📦\" SET \"Nr 🔑\" = \"Nr 🔑\" + 1000 WHERE \"Nr 🔑\" < 20 AND \"Fach\" = 'F0'",
                        "DELETE FROM \"Lager 🚚\".\"Kisten 📦\" WHERE \"Nr 🔑\" % 9 = 0",
                        "UPDATE \"Fächer\" SET \"Zustand\" = 'voll' WHERE \"Spalte ✓\" = 2",
                        "UPDATE \"Fächer\" SET \"Spalte ✓\" = \"Spalte ✓\" + 10 WHERE \"Spalte ✓\" = 3 AND \"Reihe\" < 'Ä3'",
                        "DELETE FROM \"Fächer\" WHERE \"Spalte ✓\" = 1 AND \"Reihe\" > 'Ä4'");
                assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(2)), "after streaming changes");
                String output = sync.output();
                assertFalse(output.contains("has no primary key"), output);
                assertFalse(output.contains("ALERT"), output);
                int status = sync.stop();
                assertTrue(status == 0 || status == 143, "SIGTERM ends the task cleanly, status " + status);
            }

            // Changes made while the task is stopped, then the stream resumes where it stopped.
            pair.source(
                    "UPDATE \"商店\".\"订单\" SET \"数量\" = -1 WHERE \"编号\" % 5 = 0",
                    "UPDATE \"Maße\" SET note = 'während der Pause' WHERE id % 4 = 0",
                    "UPDATE \"Lager 🚚\".\"Kisten 📦\" SET \"Fach\" = 'F9' WHERE \"Nr 🔑\" BETWEEN 30 AND 40 AND \"Fach\" = 'F1'",
                    "DELETE FROM \"Fächer\" WHERE \"Reihe\" = 'Ä7'");
            try (SyncProcess sync = pair.startSyncOfSchemas("run-2", SCHEMAS)) {
                assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(2)), "after the restart");
                assertTrue(sync.output().contains("resuming from the position the target holds"), sync.output());
                pair.source(
                        "UPDATE \"Maße\" SET \"Preis €\" = 0 WHERE \"Größe\" = 'XL'",
                        "INSERT INTO \"Lager 🚚\".\"Kisten 📦\" VALUES (5000, 'F0', 'nach dem Neustart')");
                assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(2)), "streaming after the restart");

                // Columns with non-ASCII names added while streaming.
                pair.source(
                        "ALTER TABLE \"商店\".\"订单\" ADD COLUMN \"备注 📝\" text",
                        "UPDATE \"商店\".\"订单\" SET \"备注 📝\" = '备注 ' || \"编号\" WHERE \"编号\" % 3 = 0",
                        "INSERT INTO \"商店\".\"订单\" VALUES (2000, '最后', 9, '新列')",
                        "UPDATE \"商店\".\"客户\" SET \"姓名\" = '列之后' WHERE \"客户号\" < 10",
                        "ALTER TABLE \"Maße\" ADD COLUMN \"Gewicht ⚖\" int",
                        "UPDATE \"Maße\" SET \"Gewicht ⚖\" = id * 2 WHERE \"Größe\" = 'M'",
                        "DELETE FROM \"Maße\" WHERE id = 7");
                assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(2)), "after adding columns");
                String output = sync.output();
                assertTrue(output.contains("column 备注 📝 was added to 商店.订单"), output);
                assertTrue(output.contains("column Gewicht ⚖ was added to public.Maße"), output);
                assertFalse(output.contains("ALERT"), output);
                assertTrue(sync.isAlive(), "the task keeps running");
            }
        }
    }
}
