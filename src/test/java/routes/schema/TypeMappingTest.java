package routes.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Column types across families: native where the target type holds every value, else a type that does. */
class TypeMappingTest {

    @Test
    void postgresTypesMySqlHoldsWhole() {
        assertEquals("SMALLINT", TypeMapping.postgresToMySql("smallint"));
        assertEquals("INT", TypeMapping.postgresToMySql("integer"));
        assertEquals("BIGINT", TypeMapping.postgresToMySql("bigint"));
        assertEquals("BOOLEAN", TypeMapping.postgresToMySql("boolean"));
        assertEquals("BIT(1)", TypeMapping.postgresToMySql("bit(1)"));
        assertEquals("BIT(64)", TypeMapping.postgresToMySql("bit(64)"));
        assertEquals("VARCHAR(40)", TypeMapping.postgresToMySql("character varying(40)"));
        assertEquals("CHAR(3)", TypeMapping.postgresToMySql("character(3)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("text"));
        assertEquals("LONGBLOB", TypeMapping.postgresToMySql("bytea"));
        assertEquals("TIME(6)", TypeMapping.postgresToMySql("time without time zone"));
        assertEquals("TIME(6)", TypeMapping.postgresToMySql("time(3) without time zone"));
        assertEquals("JSON", TypeMapping.postgresToMySql("json"));
        assertEquals("JSON", TypeMapping.postgresToMySql("jsonb"));
        assertEquals("CHAR(36)", TypeMapping.postgresToMySql("uuid"));
        assertEquals("DECIMAL(19,2)", TypeMapping.postgresToMySql("money"));
    }

    @Test
    void postgresValuesMySqlCannotHoldStayText() {
        assertEquals("VARCHAR(40)", TypeMapping.postgresToMySql("numeric(38,10)"), "NaN and Infinity");
        assertEquals("VARCHAR(9)", TypeMapping.postgresToMySql("numeric(2,0)"), "room for -Infinity");
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("numeric"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("numeric(3,5)"), "PostgreSQL 15 allows scale > precision");
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("numeric(5,-2)"), "and negative scale");
        assertEquals("VARCHAR(32)", TypeMapping.postgresToMySql("real"), "NaN, Infinity");
        assertEquals("VARCHAR(32)", TypeMapping.postgresToMySql("double precision"));
        assertEquals("VARCHAR(16)", TypeMapping.postgresToMySql("date"), "infinity, BC");
        assertEquals("VARCHAR(40)", TypeMapping.postgresToMySql("timestamp(3) without time zone"), "infinity, BC, year 294276");
        assertEquals("VARCHAR(40)", TypeMapping.postgresToMySql("timestamp with time zone"));
        assertEquals("VARCHAR(32)", TypeMapping.postgresToMySql("time(3) with time zone"), "the offset as written");
        assertEquals("VARCHAR(100)", TypeMapping.postgresToMySql("interval"));
        assertEquals("VARCHAR(43)", TypeMapping.postgresToMySql("inet"));
        assertEquals("VARCHAR(43)", TypeMapping.postgresToMySql("cidr"));
        assertEquals("VARCHAR(17)", TypeMapping.postgresToMySql("macaddr"));
        assertEquals("VARCHAR(65)", TypeMapping.postgresToMySql("bit(65)"));
        assertEquals("VARCHAR(5)", TypeMapping.postgresToMySql("bit varying(5)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("bit varying"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("character varying"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("character varying(20000)"));
        assertEquals("VARCHAR(16383)", TypeMapping.postgresToMySql("character varying(16383)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("character(256)"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("bpchar"));
    }

    @Test
    void arraysAndTypesMySqlLacksKeepPostgresText() {
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("integer[]"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("timestamp(3) with time zone[]"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("xml"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("point"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("\"char\""));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("public.mood"));
        assertEquals("LONGTEXT", TypeMapping.postgresToMySql("\"Mood Type\""));
    }

    @Test
    void mysqlTypesOnPostgresHoldEveryValue() {
        assertEquals("smallint", TypeMapping.mysqlToPostgres("tinyint(1)"), "BOOLEAN columns hold -128..127");
        assertEquals("smallint", TypeMapping.mysqlToPostgres("tinyint(3) unsigned"));
        assertEquals("integer", TypeMapping.mysqlToPostgres("smallint(5) unsigned"));
        assertEquals("integer", TypeMapping.mysqlToPostgres("mediumint(8) unsigned"));
        assertEquals("bigint", TypeMapping.mysqlToPostgres("int(10) unsigned"));
        assertEquals("numeric(20,0)", TypeMapping.mysqlToPostgres("bigint(20) unsigned"));
        assertEquals("numeric(38,10)", TypeMapping.mysqlToPostgres("decimal(38,10)"));
        assertEquals("real", TypeMapping.mysqlToPostgres("float"));
        assertEquals("double precision", TypeMapping.mysqlToPostgres("double"));
        assertEquals("boolean", TypeMapping.mysqlToPostgres("bit(1)"));
        assertEquals("bit(8)", TypeMapping.mysqlToPostgres("bit(8)"));
        assertEquals("character(10)", TypeMapping.mysqlToPostgres("char(10)"));
        assertEquals("character varying(255)", TypeMapping.mysqlToPostgres("varchar(255)"));
        assertEquals("text", TypeMapping.mysqlToPostgres("longtext"));
        assertEquals("text", TypeMapping.mysqlToPostgres("enum('a','b')"));
        assertEquals("bytea", TypeMapping.mysqlToPostgres("binary(8)"));
        assertEquals("bytea", TypeMapping.mysqlToPostgres("geometry"));
        assertEquals("timestamp(6) without time zone", TypeMapping.mysqlToPostgres("datetime(6)"));
        assertEquals("timestamp(6) with time zone", TypeMapping.mysqlToPostgres("timestamp(6)"));
        assertEquals("interval", TypeMapping.mysqlToPostgres("time(6)"));
        assertEquals("smallint", TypeMapping.mysqlToPostgres("year(4)"));
        assertEquals("json", TypeMapping.mysqlToPostgres("json"), "the text as written");
    }
}
