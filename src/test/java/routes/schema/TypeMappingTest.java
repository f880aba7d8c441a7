package routes.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Column types across families, read into the neutral model and written by the target: native where the target type
 * holds every value, else a type that does.
 */
class TypeMappingTest {

    @Test
    void postgresTypesMySqlHoldsWhole() {
        assertEquals("SMALLINT", MySqlTypes.write(PostgresTypes.read("smallint")));
        assertEquals("INT", MySqlTypes.write(PostgresTypes.read("integer")));
        assertEquals("BIGINT", MySqlTypes.write(PostgresTypes.read("bigint")));
        assertEquals("BOOLEAN", MySqlTypes.write(PostgresTypes.read("boolean")));
        assertEquals("BIT(1)", MySqlTypes.write(PostgresTypes.read("bit(1)")));
        assertEquals("BIT(64)", MySqlTypes.write(PostgresTypes.read("bit(64)")));
        assertEquals("VARCHAR(40)", MySqlTypes.write(PostgresTypes.read("character varying(40)")));
        assertEquals("CHAR(3)", MySqlTypes.write(PostgresTypes.read("character(3)")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("text")));
        assertEquals("LONGBLOB", MySqlTypes.write(PostgresTypes.read("bytea")));
        assertEquals("TIME(6)", MySqlTypes.write(PostgresTypes.read("time without time zone")));
        assertEquals("TIME(6)", MySqlTypes.write(PostgresTypes.read("time(3) without time zone")));
        assertEquals("JSON", MySqlTypes.write(PostgresTypes.read("json")));
        assertEquals("JSON", MySqlTypes.write(PostgresTypes.read("jsonb")));
        assertEquals("CHAR(36)", MySqlTypes.write(PostgresTypes.read("uuid")));
        assertEquals("DECIMAL(19,2)", MySqlTypes.write(PostgresTypes.read("money")));
    }

    @Test
    void postgresValuesMySqlCannotHoldStayText() {
        assertEquals("VARCHAR(40)", MySqlTypes.write(PostgresTypes.read("numeric(38,10)")), "NaN and Infinity");
        assertEquals("VARCHAR(9)", MySqlTypes.write(PostgresTypes.read("numeric(2,0)")), "room for -Infinity");
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("numeric")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("numeric(3,5)")), "PostgreSQL 15 allows scale > precision");
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("numeric(5,-2)")), "and negative scale");
        assertEquals("VARCHAR(32)", MySqlTypes.write(PostgresTypes.read("real")), "NaN, Infinity");
        assertEquals("VARCHAR(32)", MySqlTypes.write(PostgresTypes.read("double precision")));
        assertEquals("VARCHAR(16)", MySqlTypes.write(PostgresTypes.read("date")), "infinity, BC");
        assertEquals("VARCHAR(40)", MySqlTypes.write(PostgresTypes.read("timestamp(3) without time zone")), "infinity, BC, year 294276");
        assertEquals("VARCHAR(40)", MySqlTypes.write(PostgresTypes.read("timestamp with time zone")));
        assertEquals("VARCHAR(32)", MySqlTypes.write(PostgresTypes.read("time(3) with time zone")), "the offset as written");
        assertEquals("VARCHAR(100)", MySqlTypes.write(PostgresTypes.read("interval")));
        assertEquals("VARCHAR(43)", MySqlTypes.write(PostgresTypes.read("inet")));
        assertEquals("VARCHAR(43)", MySqlTypes.write(PostgresTypes.read("cidr")));
        assertEquals("VARCHAR(17)", MySqlTypes.write(PostgresTypes.read("macaddr")));
        assertEquals("VARCHAR(65)", MySqlTypes.write(PostgresTypes.read("bit(65)")));
        assertEquals("VARCHAR(5)", MySqlTypes.write(PostgresTypes.read("bit varying(5)")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("bit varying")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("character varying")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("character varying(20000)")));
        assertEquals("VARCHAR(16383)", MySqlTypes.write(PostgresTypes.read("character varying(16383)")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("character(256)")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("bpchar")));
    }

    @Test
    void arraysAndTypesMySqlLacksKeepPostgresText() {
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("integer[]")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("timestamp(3) with time zone[]")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("xml")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("point")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("\"char\"")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("public.mood")));
        assertEquals("LONGTEXT", MySqlTypes.write(PostgresTypes.read("\"Mood Type\"")));
    }

    @Test
    void mysqlTypesOnPostgresHoldEveryValue() {
        assertEquals("smallint", PostgresTypes.write(MySqlTypes.read("tinyint(1)")), "BOOLEAN columns hold -128..127");
        assertEquals("smallint", PostgresTypes.write(MySqlTypes.read("tinyint(3) unsigned")));
        assertEquals("integer", PostgresTypes.write(MySqlTypes.read("smallint(5) unsigned")));
        assertEquals("integer", PostgresTypes.write(MySqlTypes.read("mediumint(8) unsigned")));
        assertEquals("bigint", PostgresTypes.write(MySqlTypes.read("int(10) unsigned")));
        assertEquals("numeric(20,0)", PostgresTypes.write(MySqlTypes.read("bigint(20) unsigned")));
        assertEquals("numeric(38,10)", PostgresTypes.write(MySqlTypes.read("decimal(38,10)")));
        assertEquals("real", PostgresTypes.write(MySqlTypes.read("float")));
        assertEquals("double precision", PostgresTypes.write(MySqlTypes.read("double")));
        assertEquals("boolean", PostgresTypes.write(MySqlTypes.read("bit(1)")));
        assertEquals("bit(8)", PostgresTypes.write(MySqlTypes.read("bit(8)")));
        assertEquals("character(10)", PostgresTypes.write(MySqlTypes.read("char(10)")));
        assertEquals("character varying(255)", PostgresTypes.write(MySqlTypes.read("varchar(255)")));
        assertEquals("text", PostgresTypes.write(MySqlTypes.read("longtext")));
        assertEquals("text", PostgresTypes.write(MySqlTypes.read("enum('a','b')")));
        assertEquals("bytea", PostgresTypes.write(MySqlTypes.read("binary(8)")));
        assertEquals("bytea", PostgresTypes.write(MySqlTypes.read("geometry")));
        assertEquals("timestamp(6) without time zone", PostgresTypes.write(MySqlTypes.read("datetime(6)")));
        assertEquals("timestamp(6) with time zone", PostgresTypes.write(MySqlTypes.read("timestamp(6)")));
        assertEquals("interval", PostgresTypes.write(MySqlTypes.read("time(6)")));
        assertEquals("smallint", PostgresTypes.write(MySqlTypes.read("year(4)")));
        assertEquals("json", PostgresTypes.write(MySqlTypes.read("json")), "the text as written");
    }
}
