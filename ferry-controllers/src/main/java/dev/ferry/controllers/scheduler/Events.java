package dev.ferry.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * core/v1 Events about an object, as client-go's event recorder writes them: named {@code <object>.<hex nanos>},
 * in the object's namespace ("default" for cluster-scoped objects), count 1, first and last timestamp now, the
 * reporting component as {@code source.component}. Pure.
 */
public final class Events {
    private Events() {
    }

    /**
     * @param type      "Normal" or "Warning"
     * @param component e.g. "default-scheduler", "node-controller"
     */
    public static Event about(HasMetadata obj, String type, String reason, String message, String component,
            Instant now) {
        String ns = obj.getMetadata().getNamespace();
        String eventNs = ns == null || ns.isEmpty() ? "default" : ns;
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String ts = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        return new EventBuilder()
                .withNewMetadata().withName(obj.getMetadata().getName() + "." + Long.toHexString(nanos))
                .withNamespace(eventNs).endMetadata()
                .withNewInvolvedObject()
                .withKind(obj.getKind() != null ? obj.getKind() : HasMetadata.getKind(obj.getClass()))
                .withApiVersion(obj.getApiVersion() != null ? obj.getApiVersion()
                        : HasMetadata.getApiVersion(obj.getClass()))
                .withNamespace(ns == null || ns.isEmpty() ? null : ns).withName(obj.getMetadata().getName())
                .withUid(obj.getMetadata().getUid()).withResourceVersion(obj.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component).withReportingInstance("")
                .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
                .build();
    }
}
