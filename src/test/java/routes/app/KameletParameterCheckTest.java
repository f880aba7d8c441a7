package routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import routes.ops.TaskProblem;

class KameletParameterCheckTest {

    private static final String SOURCE = "kamelet:postgres-cdc-source?task=t&databaseHostname=localhost&databaseUser=u"
            + "&databasePassword=p&databaseDbname=shop";

    @Test
    void closestDeclaredName() {
        List<String> declared = List.of("schemaIncludeList", "tableIncludeList", "slotName", "snapshotMode");
        assertEquals("schemaIncludeList", KameletParameterCheck.closest("schemaIncludeLists", declared));
        assertEquals("tableIncludeList", KameletParameterCheck.closest("table-include-list", declared));
        assertEquals("slotName", KameletParameterCheck.closest("slotname", declared));
        assertEquals(3, KameletParameterCheck.editDistance("kitten", "sitting"));
    }

    /** Camel loads the check by itself (META-INF/services) and refuses the task while it creates the kamelet's route. */
    @Test
    void unknownParameterStopsTheTaskBeforeItStarts() {
        Exception error = assertThrows(Exception.class, () -> start(SOURCE + "&schemaIncludeLists=public"));
        String reason = reason(error);
        assertTrue(reason.contains("Route 'task' passes 'schemaIncludeLists' to kamelet postgres-cdc-source, which has no such "
                + "parameter: did you mean 'schemaIncludeList'?"), reason);
    }

    /** Declared names pass, in either case Camel accepts; the source's own check comes next (no server here). */
    @Test
    void declaredParametersPass() {
        Exception error = assertThrows(Exception.class, () -> start(SOURCE + "&schema-include-list=public&slotName=s"));
        String reason = reason(error);
        assertTrue(reason.startsWith("Cannot connect to source PostgreSQL localhost:5432/shop"), reason);
    }

    private static void start(String uri) throws Exception {
        try (DefaultCamelContext context = context(uri)) {
            context.start();
        }
    }

    private static DefaultCamelContext context(String uri) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("task").to("log:out");
            }
        });
        return context;
    }

    private static String reason(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TaskProblem) {
                return t.getMessage();
            }
        }
        throw new AssertionError("no TaskProblem in", error);
    }
}
