package routes.capture;

import java.lang.reflect.Field;
import java.sql.SQLException;

import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorConfig.LogicalDecoder;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresSchema;
import io.debezium.connector.postgresql.connection.MessageDecoder;
import io.debezium.connector.postgresql.connection.MessageDecoderContext;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.connector.postgresql.connection.PostgresReplicationConnection;
import io.debezium.connector.postgresql.connection.ReplicationConnection;
import io.debezium.connector.postgresql.connection.pgoutput.PgOutputUtf8NamesDecoder;

/**
 * Debezium's PostgreSQL task, streaming with {@link PgOutputUtf8NamesDecoder} in place of Debezium 3.4's pgoutput
 * decoder, which mangles non-ASCII schema, table and column names and so loses primary keys that have such a column.
 * Debezium picks its decoder from a fixed list ({@code plugin.name}), so the task puts ours into the replication
 * connection Debezium builds, before the connection streams.
 */
public class PostgresSourceTask extends PostgresConnectorTask {

    @Override
    protected ReplicationConnection buildReplicationConnection(PostgresConnection jdbcConnection, PostgresSchema schema,
            PostgresConnectorConfig config) throws SQLException {
        ReplicationConnection connection = super.buildReplicationConnection(jdbcConnection, schema, config);
        if (config.plugin() == LogicalDecoder.PGOUTPUT) {
            useDecoder(connection, new PgOutputUtf8NamesDecoder(new MessageDecoderContext(config, schema), jdbcConnection));
        }
        return connection;
    }

    /** Replaces the decoder a replication connection was built with (its private {@code messageDecoder} field). */
    static void useDecoder(ReplicationConnection connection, MessageDecoder decoder) {
        try {
            Field field = PostgresReplicationConnection.class.getDeclaredField("messageDecoder");
            field.setAccessible(true);
            field.set(connection, decoder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot install the pgoutput decoder that reads non-ASCII names: this Debezium "
                    + "version's PostgresReplicationConnection has no messageDecoder field (" + e + ")", e);
        }
    }
}
