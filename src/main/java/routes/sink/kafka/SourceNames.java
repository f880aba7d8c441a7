package routes.sink.kafka;

/**
 * Where a change came from, as the record formats name it.
 *
 * @param connector the source's kind as Debezium names its connector (postgresql, mysql, mariadb)
 * @param name      the task's source name (Debezium's topic prefix, the ${source_datasource_name} of naming rules)
 * @param database  the database the table lives in
 * @param schema    the table's schema (MySQL family: its database)
 * @param table     the table's name
 */
record SourceNames(String connector, String name, String database, String schema, String table) {
}
