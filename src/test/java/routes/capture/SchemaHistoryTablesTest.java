package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.HistoryRecord;

import routes.change.TableId;

class SchemaHistoryTablesTest {

    private static final Map<String, Object> PARTITION = Map.of("server", "task");

    private static String record(String database, String ddl) throws Exception {
        return DocumentWriter.defaultWriter().write(new HistoryRecord(PARTITION, Map.of("file", "mysql-bin.000001", "pos", 4L),
                database, null, ddl, null, java.time.Instant.EPOCH).document());
    }

    @Test
    void knowsTheTablesItsRecordsLeave() throws Exception {
        List<String> records = new ArrayList<>(List.of(record("", "SET character_set_server=utf8mb4, collation_server=utf8mb4_general_ci"),
                record("shop", "CREATE DATABASE `shop` CHARSET utf8mb4 COLLATE utf8mb4_general_ci"), record("shop", "USE `shop`"),
                record("shop", "CREATE TABLE `items` (`id` int(11) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"),
                record("shop", "CREATE TABLE `gone` (`id` int(11) NOT NULL) ENGINE=InnoDB"),
                record("shop", "CREATE TABLE `odd` (`a` INET6)"),
                record("shop", "DROP TABLE `gone`"),
                record("shop", "RENAME TABLE `items` TO `articles`")));
        for (boolean mariaDb : List.of(true, false)) {
            assertEquals(Set.of(new TableId("shop", "articles")), SchemaHistoryTables.known(records, PARTITION, mariaDb)
                    .stream().filter(t -> !t.table().equals("odd")).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void recordsOfAnotherTaskDoNotCount() throws Exception {
        List<String> records = List.of(record("shop", "CREATE TABLE `items` (`id` int NOT NULL)"));
        assertEquals(Set.of(), SchemaHistoryTables.known(records, Map.of("server", "other"), true));
    }
}
