package routes.sink.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import routes.ops.TaskProblem;

/** The topics a task writes: whether the cluster answers, creating the missing ones, and the record size each takes. */
final class TopicAdmin implements AutoCloseable {

    private final Admin admin;
    private final Duration timeout;

    TopicAdmin(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Fails with what to check when no broker answers in time (an unreachable cluster would otherwise block for minutes). */
    void checkReachable(String bootstrapServers, String securityProtocol) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskProblem("Interrupted while connecting to Kafka at " + bootstrapServers);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new TaskProblem("Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds() + " s ("
                    + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                    + "). Check bootstrapServers, that the brokers run and are reachable from here, and the security "
                    + "settings (securityProtocol is " + securityProtocol + ").", cause);
        }
    }

    /**
     * Creates the topics that do not exist yet; an existing topic is used as it is. Returns, for each topic that could
     * not be created, the broker's reason.
     */
    Map<String, String> createMissing(Collection<String> topics, int partitions, short replicationFactor, Map<String, String> configs)
            throws InterruptedException {
        Map<String, String> problems = new HashMap<>();
        if (topics.isEmpty()) {
            return problems;
        }
        Set<String> existing = get(admin.listTopics().names());
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : topics) {
            if (!existing.contains(topic)) {
                missing.add(new NewTopic(topic, Optional.of(partitions), Optional.of(replicationFactor)).configs(configs));
            }
        }
        if (missing.isEmpty()) {
            return problems;
        }
        admin.createTopics(missing).values().forEach((topic, created) -> {
            try {
                created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    problems.put(topic, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.put(topic, "interrupted");
            } catch (java.util.concurrent.TimeoutException e) {
                problems.put(topic, "no answer within " + timeout.toSeconds() + " s");
            }
        });
        return problems;
    }

    /** The largest record batch each topic takes ({@code max.message.bytes}, the topic's or the broker's). */
    Map<String, Integer> maxMessageBytes(Collection<String> topics) throws InterruptedException {
        Map<String, Integer> sizes = new HashMap<>();
        if (topics.isEmpty()) {
            return sizes;
        }
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all());
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                sizes.put(resource.name(), Integer.parseInt(entry.value()));
            }
        });
        return sizes;
    }

    private <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
