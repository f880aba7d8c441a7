package routes.ops.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kamelet.KameletEndpoint;
import org.apache.camel.spi.Resource;

import routes.state.SyncTask;

/**
 * A task's YAML as Camel loaded it (the file holding the task's route: the one whose source kamelet names the task,
 * or its capture route itself), with every secret masked ({@link SecretMask}). Kamelet files are not the task's.
 */
final class TaskConfiguration {

    private final CamelContext context;

    TaskConfiguration(CamelContext context) {
        this.context = context;
    }

    /** {"yaml": the masked text, "location": where it was loaded from}; null when no route of the task came from a file. */
    Map<String, Object> of(SyncTask task) throws IOException {
        Resource resource = resourceOf(task);
        if (resource == null) {
            return null;
        }
        String yaml;
        try (InputStream in = resource.getInputStream()) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("yaml", SecretMask.of(yaml).mask(yaml));
        answer.put("location", resource.getLocation());
        return answer;
    }

    private Resource resourceOf(SyncTask task) {
        for (Route route : context.getRoutes()) {
            Resource resource = route.getSourceResource();
            if (resource == null || resource.getLocation() == null || resource.getLocation().endsWith(".kamelet.yaml")) {
                continue;
            }
            if (route.getRouteId().equals(task.captureRoute()) || namesTask(route, task)) {
                return resource;
            }
        }
        return null;
    }

    private boolean namesTask(Route route, SyncTask task) {
        if (route.getEndpoint() instanceof KameletEndpoint kamelet && kamelet.getKameletProperties() != null) {
            Object named = kamelet.getKameletProperties().get("task");
            return named != null && task.name().equals(context.resolvePropertyPlaceholders(named.toString()));
        }
        return false;
    }
}
