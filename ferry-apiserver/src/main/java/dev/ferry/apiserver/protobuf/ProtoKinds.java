package dev.ferry.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import java.util.Map;
import java.util.Optional;

/** The (apiVersion, kind) pairs whose protobuf encoding Ferry decodes, with the message schema of each. */
final class ProtoKinds {
    private static final Map<String, Descriptor> BY_GVK = Map.ofEntries(
            Map.entry(key("v1", "Namespace"), V1.Namespace.getDescriptor()),
            Map.entry(key("v1", "Service"), V1.Service.getDescriptor()),
            Map.entry(key("v1", "Pod"), V1.Pod.getDescriptor()),
            Map.entry(key("v1", "Endpoints"), V1.Endpoints.getDescriptor()),
            Map.entry(key("v1", "Node"), V1.Node.getDescriptor()),
            Map.entry(key("v1", "Event"), V1.Event.getDescriptor()),
            Map.entry(key("v1", "ConfigMap"), V1.ConfigMap.getDescriptor()),
            Map.entry(key("apps/v1", "Deployment"), V1Apps.Deployment.getDescriptor()),
            Map.entry(key("apps/v1", "ReplicaSet"), V1Apps.ReplicaSet.getDescriptor()),
            Map.entry(key("discovery.k8s.io/v1", "EndpointSlice"), DiscoveryV1Proto.endpointSlice()),
            Map.entry(key("autoscaling/v1", "Scale"), V1Autoscaling.Scale.getDescriptor()),
            // DeleteOptions is registered in every group version upstream; kubectl sends it as v1 or meta.k8s.io/v1.
            Map.entry(key("v1", "DeleteOptions"), Meta.DeleteOptions.getDescriptor()),
            Map.entry(key("meta.k8s.io/v1", "DeleteOptions"), Meta.DeleteOptions.getDescriptor()),
            Map.entry(key("apps/v1", "DeleteOptions"), Meta.DeleteOptions.getDescriptor()),
            Map.entry(key("discovery.k8s.io/v1", "DeleteOptions"), Meta.DeleteOptions.getDescriptor()));

    private ProtoKinds() {
    }

    static Optional<Descriptor> find(String apiVersion, String kind) {
        return Optional.ofNullable(BY_GVK.get(key(apiVersion, kind)));
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "\u0000" + kind;
    }
}
