package dev.ferry.controllers.endpointutil;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import dev.ferry.client.SharedInformers;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process API server with a client and shared informers for controller integration tests, plus builders of
 * the objects they create. Pods get status the way the node agent writes it (podIP(s), phase, Ready condition).
 */
public final class TestCluster implements AutoCloseable {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    public final LocalApiServer server;
    public final KubernetesClient client;
    public final SharedInformers informers;

    private TestCluster(LocalApiServer server) {
        this.server = server;
        this.client = Clients.connect(server.url(), "test");
        this.informers = new SharedInformers(Clients.connect(server.url(), "controllers"));
    }

    public static TestCluster start() throws Exception {
        return new TestCluster(LocalApiServer.start());
    }

    /** A fresh namespace. */
    public String namespace() {
        String ns = "t" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .create();
        return ns;
    }

    /** A node with an optional zone label. */
    public void node(String name, String zone) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (zone != null) {
            b.editMetadata().addToLabels(WellKnown.LABEL_TOPOLOGY_ZONE, zone).endMetadata();
        }
        client.nodes().resource(b.build()).create();
    }

    /** A ClusterIP Service selecting {@code selector} with one TCP port 80 → {@code targetPort}. */
    public Service service(String ns, String name, Map<String, String> selector, IntOrString targetPort) {
        return client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .addToLabels("team", "blue").endMetadata().withNewSpec().withSelector(selector).addNewPort()
                .withName("http").withPort(80).withTargetPort(targetPort).withProtocol("TCP").endPort().endSpec()
                .build()).create();
    }

    /** A pod on {@code node} with {@code labels} and container ports, without status. */
    public Pod pod(String ns, String name, String node, Map<String, String> labels, ContainerPort... ports) {
        return client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("c")
                .withImage("ferry/serve-hostname").withPorts(List.of(ports)).endContainer().endSpec().build())
                .create();
    }

    public static ContainerPort port(String name, int number) {
        return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol("TCP").build();
    }

    /** Writes the pod's status as the agent does: Running with {@code ip}, Ready condition {@code ready}. */
    public void status(String ns, String name, String ip, boolean ready) {
        client.pods().inNamespace(ns).withName(name).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                .withPhase("Running").withPodIP(ip).withPodIPs(List.of(new io.fabric8.kubernetes.api.model.PodIP(ip)))
                .withConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
                        .withStatus(ready ? "True" : "False")
                        .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                        .build()))
                .endStatus().build());
    }

    @Override
    public void close() {
        informers.close();
        client.close();
        server.close();
    }
}
