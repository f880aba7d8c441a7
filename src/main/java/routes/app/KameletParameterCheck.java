package routes.app;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.spi.ContextServicePlugin;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.util.StringHelper;

import routes.ops.PreflightFindings;
import routes.ops.TaskProblem;

/**
 * Refuses a parameter a task passes to a kamelet that the kamelet does not declare (a misspelt optional one would
 * otherwise be dropped silently, its default used). Camel creates a route from a kamelet's template with every
 * parameter the task gave; this checks them there, once for every kamelet, before any route starts. Loaded by Camel
 * itself for every context (META-INF/services), so {@code java -jar} and {@code camel run} both check.
 */
public class KameletParameterCheck extends ModelLifecycleStrategySupport implements ContextServicePlugin {

    /** What camel-kamelet adds to every kamelet's parameters itself. */
    private static final Set<String> IMPLICIT = Set.of("templateId", "routeId", "uuid", "location", "noErrorHandler", "bridgeErrorHandler");

    private CamelContext camelContext;

    /**
     * Called while the context is being constructed, before its model exists: the check joins the model when the
     * context initialises, which is before camel-kamelet creates any kamelet's route.
     */
    @Override
    public void load(CamelContext camelContext) {
        this.camelContext = camelContext;
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext context) {
                if (context instanceof ModelCamelContext model) {
                    model.addModelLifecycleStrategy(KameletParameterCheck.this);
                }
            }
        });
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        RouteTemplateContext parameters = route.getRouteTemplateContext();
        if (!Boolean.TRUE.equals(route.isKamelet()) || parameters == null) {
            return;
        }
        Object templateId = parameters.getParameters().get("templateId");
        RouteTemplateDefinition template = templateId == null ? null
                : ((ModelCamelContext) camelContext).getRouteTemplateDefinition(templateId.toString());
        if (template == null || template.getTemplateParameters() == null) {
            return;
        }
        List<String> declared = template.getTemplateParameters().stream().map(RouteTemplateParameterDefinition::getName).toList();
        Set<String> known = new java.util.HashSet<>(IMPLICIT);
        declared.forEach(name -> known.add(StringHelper.dashToCamelCase(name)));
        for (String given : new java.util.TreeSet<>(parameters.getParameters().keySet())) {
            if (!known.contains(StringHelper.dashToCamelCase(given))) {
                Object caller = route.getTemplateParameters() == null ? null : route.getTemplateParameters().get("parentRouteId");
                TaskProblem problem = new TaskProblem((caller == null ? "A task" : "Route '" + caller + "'") + " passes '" + given
                        + "' to kamelet " + templateId + ", which has no such parameter: did you mean '" + closest(given, declared) + "'?");
                PreflightFindings findings = PreflightFindings.of(camelContext);
                if (findings == null) {
                    throw problem;
                }
                findings.problem(problem); // the check command goes on to find the others

            }
        }
    }

    /** The declared name nearest to a given one by edit distance (ignoring case and dashes), ties to the shorter. */
    static String closest(String given, List<String> declared) {
        String wanted = StringHelper.dashToCamelCase(given).toLowerCase(java.util.Locale.ROOT);
        return declared.stream().min(Comparator.<String>comparingInt(name -> editDistance(wanted,
                StringHelper.dashToCamelCase(name).toLowerCase(java.util.Locale.ROOT))).thenComparingInt(String::length)).orElse("");
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
