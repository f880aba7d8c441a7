package routes.sink.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import routes.ops.TaskProblem;

/** Reads a whole topic, from its start to where it ends now, as a read_committed consumer sees it. */
final class TopicReader {

    private TopicReader() {
    }

    /** Hands every record's key and value (null for a tombstone) to {@code records}, in partition order. */
    static void readAll(Consumer<byte[], byte[]> consumer, String topic, Duration timeout, BiConsumer<byte[], byte[]> records) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // With read_committed the end is the last stable offset: no open transaction is waited for or read.
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new TaskProblem("Could not read topic " + topic + " to its end within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                records.accept(record.key(), record.value());
            }
        }
    }
}
