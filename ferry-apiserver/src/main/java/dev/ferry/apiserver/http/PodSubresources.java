package dev.ferry.apiserver.http;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.pod.KubeletLogs;
import dev.ferry.apiserver.pod.LogRequest;
import dev.ferry.apiserver.pod.PodBinding;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WriteOptions;
import dev.ferry.api.validation.FieldError;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pod subresources that are not plain object writes: {@code pods/binding} (and its legacy spelling
 * {@code POST namespaces/{ns}/bindings}) and {@code pods/log}, which streams the log from the pod's node agent.
 */
final class PodSubresources implements AutoCloseable {
    private final Registry registry;
    private final ResourceType pods;
    private final ResourceType nodes;
    private final Clock clock;
    private final KubeletLogs kubelets = new KubeletLogs();

    PodSubresources(Registry registry, Clock clock) {
        this.registry = registry;
        this.pods = registry.types().find("", "v1", "pods").orElseThrow();
        this.nodes = registry.types().find("", "v1", "nodes").orElseThrow();
        this.clock = clock;
    }

    /**
     * Binds a pod. {@code urlName} is the pod named in the URL ({@code pods/{name}/binding}), or null for the legacy
     * {@code bindings} collection, where the Binding's own name picks the pod.
     */
    ObjectNode bind(String ns, String urlName, ObjectNode body, WriteOptions opts) {
        PodBinding binding = PodBinding.parse(body);
        if (urlName != null && !urlName.equals(binding.name())) {
            throw ApiException.badRequest("name in URL does not match name in Binding object");
        }
        if (binding.name().isEmpty()) {
            throw ApiException.badRequest("name is required in the Binding object");
        }
        registry.patch(pods, ns, binding.name(), pod -> binding.applyTo(pod, clock.instant()), "binding",
                new WriteOptions(opts.dryRun(), ""));
        return PodBinding.success();
    }

    /** Opens the log of one of the pod's containers on its node; the caller streams and closes it. */
    Reply logs(String ns, String name, LogRequest req) {
        List<FieldError> errors = req.validate();
        if (!errors.isEmpty()) {
            throw ApiException.invalid("", "PodLogOptions", name, errors);
        }
        ObjectNode pod = registry.get(pods, ns, name);
        String container = req.chooseContainer(pod);
        req.notStarted(pod, container).ifPresent(msg -> {
            throw ApiException.badRequest(msg);
        });
        String nodeName = pod.path("spec").path("nodeName").asString("");
        ObjectNode node = registry.get(nodes, "", nodeName);
        URI location = req.location(node, ns, name, container);
        return new Reply.Chunks("text/plain", kubelets.open(location));
    }

    @Override
    public void close() {
        kubelets.close();
    }
}
