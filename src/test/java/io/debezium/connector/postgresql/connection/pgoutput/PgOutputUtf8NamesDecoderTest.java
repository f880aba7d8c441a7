package io.debezium.connector.postgresql.connection.pgoutput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.debezium.connector.postgresql.Module;
import io.debezium.connector.postgresql.TypeRegistry;
import io.debezium.connector.postgresql.connection.MessageDecoder;
import io.debezium.connector.postgresql.connection.PostgresReplicationConnection;
import io.debezium.connector.postgresql.connection.ReplicationStream.ReplicationMessageProcessor;

/**
 * {@link PgOutputUtf8NamesDecoder} copies three private methods of Debezium's pgoutput decoder and is installed through
 * a private field: these tests fail when the Debezium on the classpath no longer has that shape, or no longer needs
 * the copy (Debezium 3.5 reads names as UTF-8; then delete the decoder and {@code PostgresSourceTask}).
 */
class PgOutputUtf8NamesDecoderTest {

    private static final String[] NAMES = {"plain", "Größe", "编号", "Lager 🚚", "Preis €", "ｱ半角", "ﾟ"};

    @Test
    void readsNamesAsUtf8() {
        for (String name : NAMES) {
            ByteBuffer buffer = nulTerminated(name, "next");
            assertEquals(name, PgOutputUtf8NamesDecoder.readString(buffer));
            assertEquals("next", PgOutputUtf8NamesDecoder.readString(buffer));
        }
    }

    @Test
    void debeziumStillReadsNamesByteByByte() throws Exception {
        Method debeziums = PgOutputMessageDecoder.class.getDeclaredMethod("readString", ByteBuffer.class);
        debeziums.setAccessible(true);
        assertNotEquals("Größe", debeziums.invoke(null, nulTerminated("Größe")),
                "Debezium " + Module.version() + " reads pgoutput names as UTF-8 itself: delete PgOutputUtf8NamesDecoder, "
                        + "routes.capture.PostgresSourceTask and this test");
        assertEquals("plain", debeziums.invoke(null, nulTerminated("plain")));
    }

    @Test
    void debeziumsDecoderHasTheShapeTheCopyReplaces() throws Exception {
        Class<?> decoder = PgOutputMessageDecoder.class;
        assertPrivate(decoder.getDeclaredMethod("handleRelationMessage", ByteBuffer.class, TypeRegistry.class));
        assertPrivate(decoder.getDeclaredMethod("isColumnInPrimaryKey", String.class, String.class, String.class, List.class));
        assertPrivate(decoder.getDeclaredMethod("resolveRelationFromMetadata", PgOutputRelationMetaData.class));
        Method dispatch = decoder.getDeclaredMethod("processNotEmptyMessage", ByteBuffer.class, ReplicationMessageProcessor.class, TypeRegistry.class);
        assertTrue(!Modifier.isFinal(dispatch.getModifiers()) && !Modifier.isPrivate(dispatch.getModifiers()), dispatch.toString());
        assertEquals(MessageDecoder.class, PostgresReplicationConnection.class.getDeclaredField("messageDecoder").getType(),
                "PostgresSourceTask installs the decoder through this field");
    }

    private static void assertPrivate(Method method) {
        assertTrue(Modifier.isPrivate(method.getModifiers()), method.toString());
    }

    private static ByteBuffer nulTerminated(String... strings) {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        for (String s : strings) {
            buffer.put(s.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        }
        return buffer.flip();
    }
}
