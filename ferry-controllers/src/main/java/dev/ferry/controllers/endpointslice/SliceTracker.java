package dev.ferry.controllers.endpointslice;

import dev.ferry.controllers.endpointutil.ResourceVersions;
import dev.ferry.controllers.endpointutil.WellKnown;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The slices this controller wrote, with the resourceVersion each write returned, or "deletion expected" (upstream's
 * EndpointSliceTracker, keyed by UID, with resourceVersions in place of generations). It tells a sync when the cache
 * has not yet caught up with the controller's own writes (so the sync neither creates a duplicate slice nor works
 * from old content) and tells the event handlers which slice events are echoes of those writes. Thread-safe.
 */
final class SliceTracker {
    private static final String DELETION_EXPECTED = "";

    /** Service key → slice UID → resourceVersion written (or {@link #DELETION_EXPECTED}). */
    private final Map<String, Map<String, String>> byService = new HashMap<>();

    static String serviceKey(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        String svc = labels == null ? null : labels.get(WellKnown.LABEL_SERVICE_NAME);
        return svc == null || svc.isEmpty() ? null : slice.getMetadata().getNamespace() + "/" + svc;
    }

    /** Records a slice as written by this controller (the API's answer to a create or update). */
    synchronized void written(EndpointSlice slice) {
        String key = serviceKey(slice);
        if (key != null) {
            byService.computeIfAbsent(key, k -> new HashMap<>()).put(slice.getMetadata().getUid(),
                    slice.getMetadata().getResourceVersion());
        }
    }

    /** Records that this controller deleted {@code slice}. */
    synchronized void deleted(EndpointSlice slice) {
        String key = serviceKey(slice);
        if (key != null) {
            byService.computeIfAbsent(key, k -> new HashMap<>()).put(slice.getMetadata().getUid(), DELETION_EXPECTED);
        }
    }

    /** An add or update event needs a sync: it is not the echo of (or older than) a write of this controller. */
    synchronized boolean shouldSync(EndpointSlice slice) {
        String key = serviceKey(slice);
        Map<String, String> slices = key == null ? null : byService.get(key);
        String written = slices == null ? null : slices.get(slice.getMetadata().getUid());
        return written == null || DELETION_EXPECTED.equals(written)
                || !ResourceVersions.atLeast(written, slice.getMetadata().getResourceVersion());
    }

    /** Forgets a deleted slice; true when this controller deleted it (no sync needed). */
    synchronized boolean handleDeletion(EndpointSlice slice) {
        String key = serviceKey(slice);
        Map<String, String> slices = key == null ? null : byService.get(key);
        if (slices == null) {
            return false;
        }
        String written = slices.remove(slice.getMetadata().getUid());
        if (slices.isEmpty()) {
            byService.remove(key);
        }
        return DELETION_EXPECTED.equals(written);
    }

    /**
     * The cached {@code slices} of Service {@code key} are older than this controller's writes: a written slice is
     * missing or older than written, or a deleted one is still there.
     */
    synchronized boolean stale(String key, List<EndpointSlice> slices) {
        Map<String, String> tracked = byService.get(key);
        if (tracked == null) {
            return false;
        }
        Set<String> present = new HashSet<>();
        for (EndpointSlice s : slices) {
            String uid = s.getMetadata().getUid();
            present.add(uid);
            String written = tracked.get(uid);
            if (written != null && (DELETION_EXPECTED.equals(written)
                    || !ResourceVersions.atLeast(s.getMetadata().getResourceVersion(), written))) {
                return true;
            }
        }
        for (Map.Entry<String, String> e : tracked.entrySet()) {
            if (!DELETION_EXPECTED.equals(e.getValue()) && !present.contains(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** Forgets a deleted Service. */
    synchronized void deleteService(String key) {
        byService.remove(key);
    }
}
