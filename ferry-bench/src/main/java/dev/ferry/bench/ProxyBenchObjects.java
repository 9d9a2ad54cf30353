package dev.ferry.bench;

/**
 * The objects {@link ProxyControlPlaneBench} loads and changes, and its address plan (all inside 127/8, apart from
 * Ferry's defaults and from the other harnesses): Services are selector-less ClusterIP Services with one TCP port,
 * each with one EndpointSlice it owns by the {@code kubernetes.io/service-name} label. Endpoint {@code j} of Service
 * {@code s} has address number {@code s × endpoints + j} in 127.84.0.0/15, or, once moved, the same number in
 * 127.86.0.0/15; both halves of the cluster CIDR 127.84.0.0/14, as pod addresses are. Pure.
 */
final class ProxyBenchObjects {
    static final String SERVICE_RANGE = "127.91.0.0/16";
    /** The pod range: endpoint addresses must be in it (the API server rejects other loopback ones). */
    static final String CLUSTER_CIDR = "127.84.0.0/14";
    static final String LB_POOL = "127.89.0.0/24";
    /** The proxy's node address (NodePorts would be served here; the bench has none). */
    static final String NODE_IP = "127.89.1.1";
    static final String NODE_NAME = "proxy-bench-node";
    static final int PORT = 80;
    static final int TARGET_PORT = 9376;
    /** Endpoints per slice the state masks can describe. */
    static final int MAX_ENDPOINTS = 31;
    /** Addresses in one /15: the most endpoints the plan gives distinct addresses. */
    static final int MAX_ADDRESSES = 1 << 17;
    private static final int BASE = (127 << 24) | (84 << 16);

    private ProxyBenchObjects() {
    }

    static String namespace(int service, int namespaces) {
        return "cpb-%02d".formatted(service % namespaces);
    }

    static String serviceName(int service) {
        return "svc-%05d".formatted(service);
    }

    static String sliceName(int service) {
        return serviceName(service) + "-a";
    }

    static String servicesPath(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/services";
    }

    static String slicesPath(String namespace) {
        return "/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices";
    }

    /** A selector-less ClusterIP Service with one TCP port, {@value #PORT} → {@value #TARGET_PORT}. */
    static String serviceJson(int service) {
        return """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},"spec":{"type":"ClusterIP",\
                "ports":[{"name":"http","protocol":"TCP","port":%d,"targetPort":%d}]}}"""
                .formatted(serviceName(service), PORT, TARGET_PORT);
    }

    /** The address of endpoint {@code j} of {@code service}, moved or not. */
    static String address(int service, int endpoints, int j, boolean moved) {
        int n = service * endpoints + j + (moved ? MAX_ADDRESSES : 0);
        int ip = BASE + n;
        return "127." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    /**
     * The Service's slice: {@code endpoints} IPv4 endpoints on port {@value #TARGET_PORT}; bit {@code j} of
     * {@code notReady} makes endpoint {@code j} not ready, bit {@code j} of {@code moved} gives it its other address.
     */
    static String sliceJson(int service, int endpoints, int notReady, int moved) {
        StringBuilder eps = new StringBuilder();
        for (int j = 0; j < endpoints; j++) {
            if (j > 0) {
                eps.append(',');
            }
            eps.append("{\"addresses\":[\"").append(address(service, endpoints, j, (moved >>> j & 1) != 0))
                    .append("\"],\"conditions\":{\"ready\":").append((notReady >>> j & 1) == 0)
                    .append("},\"nodeName\":\"").append(NODE_NAME).append("\"}");
        }
        return """
                {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"%s",\
                "labels":{"kubernetes.io/service-name":"%s"}},"addressType":"IPv4",\
                "ports":[{"name":"http","protocol":"TCP","port":%d}],"endpoints":[%s]}"""
                .formatted(sliceName(service), serviceName(service), TARGET_PORT, eps);
    }

    /**
     * One single-endpoint change, as the new {notReady, moved} masks: even {@code change} numbers flip endpoint
     * {@code j}'s ready condition, odd ones move it to its other address.
     */
    static int[] change(int change, int j, int notReady, int moved) {
        return change % 2 == 0 ? new int[] {notReady ^ (1 << j), moved} : new int[] {notReady, moved ^ (1 << j)};
    }
}
