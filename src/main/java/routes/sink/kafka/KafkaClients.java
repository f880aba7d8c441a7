package routes.sink.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes the writer's Kafka clients from the kamelet's camel-kafka component: brokers, TLS and SASL settings are the
 * component's, and its client factory creates the clients (so whatever a Camel application configures there, such
 * as a custom factory, applies here too). Only what exactly-once needs is set on top: an idempotent, transactional
 * producer that serialises nothing itself, and consumers that read committed records only.
 */
final class KafkaClients {

    private final KafkaConfiguration configuration;
    private final KafkaClientFactory factory;

    KafkaClients(KafkaComponent component) {
        this.configuration = component.getConfiguration().copy();
        this.factory = component.getKafkaClientFactory() != null ? component.getKafkaClientFactory() : new DefaultKafkaClientFactory();
    }

    String bootstrapServers() {
        return factory.getBrokers(configuration);
    }

    /** A producer whose records of one capture batch and whose offsets commit together, or not at all. */
    @SuppressWarnings("unchecked")
    Producer<byte[], byte[]> transactionalProducer(String transactionalId, int maxRequestSize) {
        Properties props = configuration.createProducerProperties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxRequestSize));
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // Idempotence needs retries; Kafka's default retries until delivery.timeout.ms.
        props.remove(ProducerConfig.RETRIES_CONFIG);
        props.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
        return (Producer<byte[], byte[]>) factory.getProducer(props);
    }

    /** A consumer without a group, for reading a topic from its start: only committed transactions show. */
    @SuppressWarnings("unchecked")
    Consumer<byte[], byte[]> readCommittedConsumer() {
        Properties props = configuration.createConsumerProperties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        return (Consumer<byte[], byte[]>) factory.getConsumer(props);
    }

    /** An admin client with the producer's connection and security settings. */
    Admin admin() {
        Properties producer = configuration.createProducerProperties();
        Set<String> known = AdminClientConfig.configNames();
        Properties props = new Properties();
        for (Map.Entry<Object, Object> entry : producer.entrySet()) {
            if (known.contains(entry.getKey().toString())) {
                props.put(entry.getKey(), entry.getValue());
            }
        }
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }
}
