package dev.ferry.controllers.endpointutil;

/** Label and annotation keys and values the endpoint controllers read and write (upstream's exact strings). */
public final class WellKnown {
    private WellKnown() {
    }

    /** On EndpointSlices: the name of the Service they belong to. */
    public static final String LABEL_SERVICE_NAME = "kubernetes.io/service-name";
    /** On EndpointSlices: the controller that manages them. */
    public static final String LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    /** The {@link #LABEL_MANAGED_BY} value of the built-in EndpointSlice controller. */
    public static final String ENDPOINTSLICE_CONTROLLER = "endpointslice-controller.k8s.io";
    /** On EndpointSlices and Endpoints of a Service without a ClusterIP; value "". */
    public static final String LABEL_HEADLESS = "service.kubernetes.io/headless";
    /** Node label with the node's zone. */
    public static final String LABEL_TOPOLOGY_ZONE = "topology.kubernetes.io/zone";
    /** The time (RFC 3339, nanoseconds) of the change that caused the last write of an Endpoints or slice. */
    public static final String ANNOTATION_LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    /** On Endpoints truncated to {@code maxCapacity} addresses; value {@link #OVER_CAPACITY_TRUNCATED}. */
    public static final String ANNOTATION_OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
    public static final String OVER_CAPACITY_TRUNCATED = "truncated";
    /** Endpoints carrying this annotation are leader-election records, never deleted as orphans. */
    public static final String ANNOTATION_LEADER = "control-plane.alpha.kubernetes.io/leader";

    public static final String ADDRESS_TYPE_IPV4 = "IPv4";
    public static final String ADDRESS_TYPE_IPV6 = "IPv6";
}
