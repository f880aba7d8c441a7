package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MySqlGrantsTest {

    @Test
    void grantsTheAccountTheServerNamed() {
        assertEquals("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'u'@'%';",
                MySqlGrants.statement("u@%", "u"));
        assertEquals("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'sync'@'10.0.%';",
                MySqlGrants.statement("sync@10.0.%", "sync"));
    }

    @Test
    void quotesAndFallsBack() {
        assertEquals("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'o''brien'@'localhost';",
                MySqlGrants.statement("o'brien@localhost", "x"));
        assertEquals("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'u'@'%';",
                MySqlGrants.statement(null, "u"));
    }
}
