package routes.sink.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MariaDbSqlModeTest {

    @Test
    void strictModeWithZeroDatesAllowed() {
        // MySQL 8's default sql_mode
        String mysql = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";
        assertEquals("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,STRICT_ALL_TABLES",
                MariaDbDialect.sqlMode(mysql, List.of("STRICT_ALL_TABLES", "NO_ENGINE_SUBSTITUTION"), Set.of("NO_ZERO_DATE", "NO_ZERO_IN_DATE")));
        assertEquals("STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION",
                MariaDbDialect.sqlMode("", List.of("STRICT_ALL_TABLES", "NO_ENGINE_SUBSTITUTION"), Set.of()));
        assertEquals("ERROR_FOR_DIVISION_BY_ZERO", MariaDbDialect.sqlMode("STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,STRICT_ALL_TABLES",
                List.of(), Set.of("STRICT_ALL_TABLES", "STRICT_TRANS_TABLES")));
    }
}
