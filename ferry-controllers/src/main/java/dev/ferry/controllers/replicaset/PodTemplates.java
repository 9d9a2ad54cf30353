package dev.ferry.controllers.replicaset;

import dev.ferry.controllers.workloadutil.Copies;
import dev.ferry.controllers.workloadutil.Owners;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;

/** A ReplicaSet's pods, as upstream's GetPodFromTemplate. Pure. */
public final class PodTemplates {
    public static final String API_VERSION = "apps/v1";
    public static final String KIND = "ReplicaSet";
    /** Longest pod name prefix that still leaves room for the 5 random characters of generateName. */
    private static final int MAX_PREFIX = 63 - 5;

    private PodTemplates() {
    }

    /**
     * A new pod of {@code rs}: template labels, annotations, finalizers and spec, generateName "{@code <rs>-}", and a
     * controller reference (apps/v1 ReplicaSet, controller and blockOwnerDeletion true).
     */
    public static Pod podFor(ReplicaSet rs) {
        PodTemplateSpec template = Copies.copy(rs.getSpec().getTemplate());
        ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(rs.getMetadata().getNamespace());
        meta.setGenerateName(prefix(rs.getMetadata().getName()));
        meta.setLabels(tm.getLabels());
        meta.setAnnotations(tm.getAnnotations());
        meta.setFinalizers(tm.getFinalizers());
        meta.setOwnerReferences(List.of(Owners.controllerRef(rs, API_VERSION, KIND)));
        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        pod.setMetadata(meta);
        pod.setSpec(template.getSpec());
        return pod;
    }

    /** "{@code name-}" (upstream getPodsPrefix), shortened when the name is too long for a generated pod name. */
    static String prefix(String name) {
        String p = name + "-";
        return p.length() > MAX_PREFIX ? p.substring(0, MAX_PREFIX) : p;
    }
}
