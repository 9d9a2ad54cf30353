package dev.ferry.dns;

import dev.ferry.dns.records.PodInfo;
import dev.ferry.dns.records.ServiceInfo;
import dev.ferry.dns.records.SliceInfo;
import dev.ferry.dns.zone.ClusterZone;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns informer events into zone changes: each object becomes its slim DNS projection as it arrives; the zone
 * ignores a projection equal to the one it holds (a pod's status heartbeat or a slice's unrelated field rebuilds no
 * name). Observes DNS programming latency: from a slice's {@code last-change-trigger-time} to the moment
 * its change is in the zone's answers.
 *
 * <p>Events arrive on each informer's own thread; the zone serialises its mutators.
 */
final class ZoneFeeder {
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";

    private final ClusterZone zone;
    private final Clock clock;
    private final Histogram programming;
    /** CoreDNS's service_kind of each Service (namespace/name), for the programming latency's label. */
    private final Map<String, String> kinds = new ConcurrentHashMap<>();

    ZoneFeeder(ClusterZone zone, Clock clock, PrometheusRegistry registry) {
        this.zone = zone;
        this.clock = clock;
        this.programming = Histogram.builder().name("ferry_dns_programming_duration_seconds")
                .help("Time from an EndpointSlice's last-change-trigger-time until its change is in the answers, "
                        + "as CoreDNS's coredns_kubernetes_dns_programming_duration_seconds")
                .labelNames("service_kind")
                .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30)
                .register(registry);
    }

    ResourceEventHandler<Service> services() {
        return handler(this::onService);
    }

    ResourceEventHandler<EndpointSlice> slices() {
        return handler(this::onSlice);
    }

    ResourceEventHandler<Pod> pods() {
        return handler(this::onPod);
    }

    void onService(Service svc, boolean deleted) {
        String key = key(svc);
        if (deleted) {
            kinds.remove(key);
            zone.removeService(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
            return;
        }
        ServiceInfo info = ServiceInfo.of(svc);
        kinds.put(key, kind(svc, info));
        zone.putService(info);
    }

    void onSlice(EndpointSlice slice, boolean deleted) {
        if (deleted) {
            zone.removeSlice(slice.getMetadata().getNamespace(), slice.getMetadata().getName());
            return;
        }
        SliceInfo info = SliceInfo.of(slice);
        Instant trigger = triggerTime(slice);
        if (zone.putSlice(info) && trigger != null) {
            Duration d = Duration.between(trigger, clock.instant());
            programming.labelValues(kind(info.namespace(), info.serviceName()))
                    .observe(Math.max(0, d.toNanos()) / 1e9);
        }
    }

    void onPod(Pod pod, boolean deleted) {
        if (deleted) {
            zone.removePod(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            return;
        }
        zone.putPod(PodInfo.of(pod));
    }

    /** CoreDNS's service_kind label of the Service {@code key} (namespace/name) belongs to. */
    private String kind(String namespace, String service) {
        String kind = service == null ? null : kinds.get(namespace + "/" + service);
        return kind == null ? "cluster_ip" : kind;
    }

    /** cluster_ip, headless_with_selector or headless_without_selector (ExternalName counts as cluster_ip). */
    static String kind(Service svc, ServiceInfo info) {
        if (info.kind() != ServiceInfo.Kind.HEADLESS) {
            return "cluster_ip";
        }
        Map<String, String> selector = svc.getSpec() == null ? null : svc.getSpec().getSelector();
        return selector == null || selector.isEmpty() ? "headless_without_selector" : "headless_with_selector";
    }

    static Instant triggerTime(HasMetadata obj) {
        Map<String, String> annotations = obj.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(TRIGGER_TIME);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String key(HasMetadata obj) {
        return obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName();
    }

    private static <T> ResourceEventHandler<T> handler(Change<T> change) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                change.apply(obj, false);
            }

            @Override
            public void onUpdate(T old, T obj) {
                change.apply(obj, false);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                change.apply(obj, true);
            }
        };
    }

    @FunctionalInterface
    private interface Change<T> {
        void apply(T obj, boolean deleted);
    }
}
