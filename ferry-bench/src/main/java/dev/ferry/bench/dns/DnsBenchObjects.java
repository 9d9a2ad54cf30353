package dev.ferry.bench.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the DNS benchmark loads into Ferry and how it changes it, and its address plan (inside 127/8, apart from
 * Ferry's defaults and from the other harnesses). Services {@code svc-0 … svc-(n-1)} in {@value #NAMESPACE}, the names
 * of the peers' query file ({@code gen_dns_data.py}); every {@value #HEADLESS_EVERY}th ({@code svc-0}, {@code svc-10},
 * …) is headless without a selector and has one EndpointSlice of {@value #ENDPOINTS} ready IPv4 endpoints written by
 * the harness; the others are selector-less ClusterIP Services (no slice, so the EndpointSlice controller has nothing
 * to do). Endpoint {@code j} of Service {@code s} has address number {@code s × 10 + j} in 127.82.0.0/15; change
 * {@code k} moves one endpoint to address number {@code k + 1} in 127.81.0.0/16. Both are in the cluster CIDR
 * {@value #CLUSTER_CIDR} and outside the node's pod subnet (its first /24). Pure.
 */
final class DnsBenchObjects {
    static final String NAMESPACE = "default";
    static final String SERVICE_RANGE = "127.93.0.0/16";
    static final String CLUSTER_CIDR = "127.80.0.0/14";
    static final String LB_POOL = "127.89.4.0/24";
    static final String NODE_IP = "127.89.5.1";
    static final int HEADLESS_EVERY = 10;
    static final int ENDPOINTS = 10;
    static final int PORT = 80;
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    /** Services the endpoint plan has distinct addresses for (10 each in a /15). */
    static final int MAX_SERVICES = (1 << 17) / ENDPOINTS;
    /** Changes the replacement plan has distinct addresses for (a /16, minus network and broadcast-like ends). */
    static final int MAX_CHANGES = (1 << 16) - 2;
    private static final int ENDPOINT_BASE = (127 << 24) | (82 << 16);
    private static final int CHANGE_BASE = (127 << 24) | (81 << 16);

    private DnsBenchObjects() {
    }

    static String serviceName(int s) {
        return "svc-" + s;
    }

    static String sliceName(int s) {
        return serviceName(s) + "-bench";
    }

    static String fqdn(int s, String zone) {
        return serviceName(s) + "." + NAMESPACE + ".svc." + zone;
    }

    static boolean headless(int s) {
        return s % HEADLESS_EVERY == 0;
    }

    static String servicesPath() {
        return "/api/v1/namespaces/" + NAMESPACE + "/services";
    }

    static String slicesPath() {
        return "/apis/discovery.k8s.io/v1/namespaces/" + NAMESPACE + "/endpointslices";
    }

    /** Service {@code s}: headless ({@code clusterIP: None}) or ClusterIP, no selector, one TCP port named http. */
    static String serviceJson(int s) {
        return """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},"spec":{%s\
                "ports":[{"name":"http","protocol":"TCP","port":%d,"targetPort":%d}]}}"""
                .formatted(serviceName(s), headless(s) ? "\"clusterIP\":\"None\"," : "\"type\":\"ClusterIP\",", PORT,
                        PORT);
    }

    /** The address endpoint {@code j} of Service {@code s} starts with. */
    static String endpointAddress(int s, int j) {
        if (s < 0 || s >= MAX_SERVICES || j < 0 || j >= ENDPOINTS) {
            throw new IllegalArgumentException("no address for service " + s + " endpoint " + j);
        }
        return dotted(ENDPOINT_BASE + s * ENDPOINTS + j);
    }

    /** The address change {@code k} (0-based) moves an endpoint to; distinct for every k. */
    static String changeAddress(int k) {
        if (k < 0 || k >= MAX_CHANGES) {
            throw new IllegalArgumentException("no address for change " + k);
        }
        return dotted(CHANGE_BASE + k + 1);
    }

    /** The initial addresses of Service {@code s}'s slice. */
    static List<String> initialAddresses(int s) {
        List<String> out = new ArrayList<>(ENDPOINTS);
        for (int j = 0; j < ENDPOINTS; j++) {
            out.add(endpointAddress(s, j));
        }
        return out;
    }

    /**
     * Service {@code s}'s slice with {@code addresses}, all ready, port http/{@value #PORT}; with the trigger-time
     * annotation when {@code triggerTime} (RFC 3339) is not null.
     */
    static String sliceJson(int s, List<String> addresses, String triggerTime) {
        StringBuilder eps = new StringBuilder();
        for (String a : addresses) {
            if (!eps.isEmpty()) {
                eps.append(',');
            }
            eps.append("{\"addresses\":[\"").append(a).append("\"],\"conditions\":{\"ready\":true}}");
        }
        String annotations = triggerTime == null ? ""
                : ",\"annotations\":{\"" + TRIGGER_TIME + "\":\"" + triggerTime + "\"}";
        return """
                {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"%s",\
                "labels":{"kubernetes.io/service-name":"%s"}%s},"addressType":"IPv4",\
                "ports":[{"name":"http","protocol":"TCP","port":%d}],"endpoints":[%s]}"""
                .formatted(sliceName(s), serviceName(s), annotations, PORT, eps);
    }

    /**
     * The headless Services {@code changes} changes go to, in a fixed random order, each a different one while there
     * are enough ({@code services} rounded up to tens gives the number of headless ones).
     */
    static int[] changeOrder(int services, int changes, long seed) {
        int headless = (services + HEADLESS_EVERY - 1) / HEADLESS_EVERY;
        if (headless == 0) {
            throw new IllegalArgumentException("no headless Service among " + services);
        }
        int[] perm = new int[headless];
        for (int i = 0; i < headless; i++) {
            perm[i] = i * HEADLESS_EVERY;
        }
        Random random = new Random(seed);
        for (int i = headless - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = new int[changes];
        for (int k = 0; k < changes; k++) {
            out[k] = perm[k % headless];
        }
        return out;
    }

    private static String dotted(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }
}
