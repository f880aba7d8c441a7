package routes.sink;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.PredicateBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.processor.aggregate.DefaultAggregateController;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The route body every sink kamelet shares, kept in one place: the route template {@value #TEMPLATE} in
 * {@value #DEFINITION} (the choice on the change's kind, the DML filter, batching per table, the writer's calls) and
 * its error policy. A sink kamelet declares its writer and hands its changes to this processor, which creates the
 * kamelet's own route from the template, with the writer and its batching as that route's local beans, so two sinks
 * never share a batch or a writer. (Camel keeps a kamelet's beans to the kamelet, so an action kamelet could not call
 * the sink's writer; a route template takes them.)
 */
public class SinkRoute implements Processor, CamelContextAware {

    /** The writer, on every change the route handles: the route configuration's error policy stops its task. */
    static final String WRITER_PROPERTY = "RealtimeSyncWriter";
    static final String TEMPLATE = "realtime-sync-sink";
    static final String DEFINITION = "classpath:realtime-sync/sink-route.yaml";

    private CamelContext camelContext;
    private TaskWriter writer;
    private String dmlFilter = "";
    private int batchSize;
    private long batchTimeoutMs;
    private Processor rowStep = exchange -> {
    };
    private Predicate alreadyWritten = PredicateBuilder.constant(false);
    private Producer producer;

    /** Called by Camel once the properties are set: creates and starts this sink's route. */
    public void start() throws Exception {
        InFlightChanges inFlight = new InFlightChanges();
        DefaultAggregateController batching = new DefaultAggregateController();
        writer.setInFlight(inFlight);
        writer.setBatching(batching);
        writer.setRowStep(rowStep); // a resync's chunk rows get the assigned values streamed rows get
        ChangeBatchAggregation batchStrategy = new ChangeBatchAggregation();
        batchStrategy.setInFlight(inFlight);
        DmlFilter operationFilter = new DmlFilter();
        operationFilter.setRules(dmlFilter);

        ModelCamelContext model = (ModelCamelContext) camelContext;
        loadTemplate(model);
        String endpoint = "realtime-sync-sink-" + writer.task;
        String routeId = TemplatedRouteBuilder.builder(camelContext, TEMPLATE)
                .routeId(endpoint)
                .parameter("endpoint", endpoint)
                .parameter("batchSize", batchSize)
                .parameter("batchTimeoutMs", batchTimeoutMs)
                .bean("writer", writer)
                .bean("operationFilter", operationFilter)
                .bean("rowStep", rowStep)
                .bean("alreadyWritten", alreadyWritten)
                .bean("batchStrategy", batchStrategy)
                .bean("batching", batching)
                .add();
        // Created while Camel starts the kamelet's route: start it the way camel-kamelet starts a kamelet's route.
        ServiceStatus status = camelContext.getRouteController().getRouteStatus(routeId);
        if (status == null || !status.isStarted()) {
            model.startRouteDefinitions(List.of(model.getRouteDefinition(routeId)));
        }
        producer = camelContext.getEndpoint("direct:" + endpoint).createProducer();
        ServiceHelper.startService(producer);
    }

    /** Called by Camel on shutdown. */
    public void stop() {
        ServiceHelper.stopService(producer);
    }

    /** The template and its route configuration, read once per context. */
    private static void loadTemplate(ModelCamelContext model) throws Exception {
        synchronized (model) {
            if (model.getRouteTemplateDefinition(TEMPLATE) == null) {
                PluginHelper.getRoutesLoader(model).loadRoutes(ResourceHelper.resolveMandatoryResource(model, DEFINITION));
            }
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        exchange.setProperty(WRITER_PROPERTY, writer);
        producer.process(exchange);
    }

    public void setWriter(TaskWriter writer) {
        this.writer = writer;
    }

    public void setDmlFilter(String dmlFilter) {
        this.dmlFilter = dmlFilter;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public void setBatchTimeoutMs(long batchTimeoutMs) {
        this.batchTimeoutMs = batchTimeoutMs;
    }

    public void setRowStep(Processor rowStep) {
        this.rowStep = rowStep;
    }

    public void setAlreadyWritten(Predicate alreadyWritten) {
        this.alreadyWritten = alreadyWritten;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
