package routes.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * Leader election through a Kubernetes Lease (camel-kubernetes' cluster service, docs/scale-out.md), chosen in the task
 * file only: two instances of the HA example with the file lock replaced by the Kubernetes cluster service, against a
 * Kubernetes API server (fabric8's mock, CRUD mode). The leader is killed -9 and its pod goes; the other takes over,
 * and the target ends equal to the source.
 */
class KubernetesLeaseFailoverIT {

    @Test
    void theStandbyTakesOverWhenTheLeadersPodGoes() throws Exception {
        KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        try (PostgresPair postgres = new PostgresPair("k8s-lease"); NamespacedKubernetesClient client = kubernetes.createClient()) {
            for (String pod : List.of("sync-a", "sync-b")) {
                client.pods().inNamespace("sync").resource(new PodBuilder().withNewMetadata().withName(pod)
                        .addToLabels("app", "realtime-sync").endMetadata()
                        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
                        .withInitContainerStatuses(List.of()).withContainerStatuses(List.of()).endStatus().build()).create();
            }
            postgres.source("CREATE TABLE items (id int PRIMARY KEY, note text)", "INSERT INTO items SELECT i, 'row ' || i FROM generate_series(1, 100) i");
            String example = Files.readString(Path.of("examples/postgres-to-postgres-ha.yaml"));
            String fileLock = example.substring(example.indexOf("- beans:"), example.indexOf("- route:"));
            Path task = postgres.work.resolve("k8s.yaml");
            Files.writeString(task, example.replace(fileLock, """
                    - beans:
                        - name: leaderElection
                          type: org.apache.camel.component.kubernetes.cluster.KubernetesClusterService
                          properties:
                            namespace: sync
                            kubernetesResourcesNamespace: sync
                            podName: "{{POD_NAME}}"
                            clusterLabels:
                              app: realtime-sync
                            leaseResourceType: Lease
                            leaseDurationMillis: 4000
                            renewDeadlineMillis: 3000
                            retryPeriodMillis: 500
                    """));
            Map<String, String> env = postgres.environment();
            // The fabric8 client finds its API server as in any pod, or from KUBERNETES_MASTER.
            env.put("KUBERNETES_MASTER", client.getMasterUrl().toString());
            env.put("POD_NAME", "sync-a");
            SyncProcess a = SyncProcess.start(postgres.work.resolve("sync-a.log"), env, "run", task.toString());
            env.put("POD_NAME", "sync-b");
            SyncProcess b = SyncProcess.start(postgres.work.resolve("sync-b.log"), env, "run", task.toString());
            try {
                SyncProcess leader = awaitLeads(List.of(a, b), 1);
                SyncProcess standby = leader == a ? b : a;
                // The leader streams: its position is on the target.
                postgres.source("INSERT INTO items VALUES (0, 'streamed')");
                assertTrue(postgres.awaitSameContents(leader, Map.of("items", "id"), Duration.ofSeconds(60)).isEmpty(), leader.output());
                long killedAt = System.nanoTime();
                leader.kill9();
                // Kubernetes takes a dead pod out of the members (here: as when its Deployment replaced it); Camel's
                // service reads the members from the pods with the cluster labels.
                client.pods().inNamespace("sync").withName(leader == a ? "sync-a" : "sync-b").delete();
                awaitLeads(List.of(standby), 2);
                System.out.printf("Kubernetes Lease: the standby led %d ms after the leader was killed%n",
                        (System.nanoTime() - killedAt) / 1_000_000);
                postgres.source("UPDATE items SET note = 'changed' WHERE id <= 10", "DELETE FROM items WHERE id > 90",
                        "INSERT INTO items VALUES (101, 'new')");
                List<String> differing = postgres.awaitSameContents(standby, Map.of("items", "id"), Duration.ofSeconds(60));
                assertTrue(differing.isEmpty(), "target differs from source: " + differing + "\n" + standby.output());
                assertTrue(standby.output().contains("resuming from the position the target holds"), standby.output());
            } finally {
                a.close();
                b.close();
            }
        } finally {
            kubernetes.destroy();
        }
    }

    private static SyncProcess awaitLeads(List<SyncProcess> instances, int epoch) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String line = "this instance leads now (leader epoch " + epoch + " ";
        while (System.nanoTime() < deadline) {
            for (SyncProcess instance : instances) {
                if (instance.output().contains(line)) {
                    return instance;
                }
                if (!instance.isAlive()) {
                    throw new AssertionError("An instance ended:\n" + instance.output());
                }
            }
            Thread.sleep(100);
        }
        StringBuilder outputs = new StringBuilder();
        for (SyncProcess instance : instances) {
            outputs.append("---\n").append(instance.output());
        }
        throw new AssertionError("No instance took the lead with epoch " + epoch + "\n" + outputs);
    }
}
