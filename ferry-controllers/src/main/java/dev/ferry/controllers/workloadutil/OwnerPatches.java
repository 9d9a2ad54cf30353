package dev.ferry.controllers.workloadutil;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adoption and release writes: a JSON merge patch of {@code metadata.ownerReferences} that carries the cached
 * {@code resourceVersion} and {@code uid}, so a stale cache is refused with 409 rather than clobbering someone
 * else's change. A vanished object (404) is not an error.
 */
public final class OwnerPatches {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private OwnerPatches() {
    }

    /** Adds {@code ref} to {@code obj}'s owner references. */
    public static <T extends HasMetadata> void adopt(KubernetesClient client, T obj, OwnerReference ref) {
        write(client, obj, Owners.withRef(obj, ref));
    }

    /** Removes the reference to {@code ownerUid} from {@code obj}. */
    public static <T extends HasMetadata> void release(KubernetesClient client, T obj, String ownerUid) {
        write(client, obj, Owners.withoutRef(obj, ownerUid));
    }

    private static <T extends HasMetadata> void write(KubernetesClient client, T obj, List<OwnerReference> refs) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("uid", obj.getMetadata().getUid());
        meta.put("resourceVersion", obj.getMetadata().getResourceVersion());
        meta.put("ownerReferences", refs);
        String patch = JSON.asJson(Map.of("metadata", meta));
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) obj.getClass();
        try {
            client.resources(type).inNamespace(obj.getMetadata().getNamespace()).withName(obj.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
