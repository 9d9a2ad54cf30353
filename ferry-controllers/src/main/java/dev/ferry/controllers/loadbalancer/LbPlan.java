package dev.ferry.controllers.loadbalancer;

import dev.ferry.client.Clients;
import dev.ferry.controllers.workloadutil.Copies;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.PortStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to do about one Service, given the allocations so far: the address to give back, the address to take, the
 * {@code status.loadBalancer.ingress} to write, and why no address could be assigned. Pure: {@link #plan} reads the
 * allocations and never changes them; the controller applies the plan.
 *
 * <p>Rules, as MetalLB's and k3s ServiceLB's controllers:
 * <ul>
 *   <li>a Service that is gone gives back its address;</li>
 *   <li>a Service of another {@code loadBalancerClass} is never touched (its status is another controller's);</li>
 *   <li>a Service that is not of type LoadBalancer gives back its address and has its ingress cleared when it
 *       shows one of ours (an address it held or one of the pool);</li>
 *   <li>a LoadBalancer Service of our class (or none) gets exactly one address, shared by all its ports: the one in
 *       {@code spec.loadBalancerIP} when set (deprecated field; it must be a free address of the pool), else the one
 *       it holds, else a free pool address its status already shows (so restarts keep addresses), else the lowest
 *       free one. When none can be had, it gives back what it held, its ingress is cleared, and the plan carries the
 *       failure.</li>
 * </ul>
 *
 * @param release the address the Service gives back, or null
 * @param claim   the address the Service takes (its new one), or null
 * @param ingress the ingress list to write to the status (empty: clear it), or null to leave the status alone
 * @param failure why no address could be assigned, or null
 */
public record LbPlan(String release, String claim, List<LoadBalancerIngress> ingress, String failure) {
    /** The {@code spec.loadBalancerClass} this controller serves, besides Services without a class. */
    public static final String LOAD_BALANCER_CLASS = "ferry.dev/service-lb";
    /** The ingress {@code ipMode}: traffic arrives with the load-balancer IP as destination (kube-proxy's VIP). */
    public static final String IP_MODE = "VIP";
    static final String LOAD_BALANCER = "LoadBalancer";
    private static final LbPlan NOTHING = new LbPlan(null, null, null, null);

    /**
     * @param key     the Service's "namespace/name"
     * @param service its cached state, or null when it is gone
     */
    public static LbPlan plan(String key, Service service, LbAllocations allocations) {
        String held = allocations.held(key).orElse(null);
        if (service == null) {
            return held == null ? NOTHING : new LbPlan(held, null, null, null);
        }
        if (!isLoadBalancer(service)) {
            boolean clear = hasIngress(service)
                    && (held != null || ingressIps(service).stream().anyMatch(allocations.pool()::contains));
            return new LbPlan(held, null, clear ? List.of() : null, null);
        }
        if (!ours(service)) {
            return new LbPlan(held, null, null, null);
        }
        LbAddressPool pool = allocations.pool();
        String requested = service.getSpec().getLoadBalancerIP();
        String target;
        if (requested != null && !requested.isBlank()) {
            requested = requested.strip();
            if (requested.equals(held)) {
                target = held;
            } else if (!pool.contains(requested)) {
                return failure(service, held, "requested loadBalancerIP " + requested
                        + " is not an assignable address of the pool " + pool.cidr());
            } else if (allocations.owner(requested).isPresent()) {
                return failure(service, held, "requested loadBalancerIP " + requested + " is already in use by "
                        + allocations.owner(requested).get());
            } else {
                target = requested;
            }
        } else if (held != null) {
            target = held;
        } else {
            target = ingressIps(service).stream().filter(pool::isFree).findFirst()
                    .or(pool::lowestFree).orElse(null);
            if (target == null) {
                return failure(service, null, "no available IPs: the pool " + pool.cidr() + " is exhausted ("
                        + pool.used() + " of " + pool.size() + " addresses in use)");
            }
        }
        List<LoadBalancerIngress> desired = List.of(ingress(target, service));
        boolean same = canonical(currentIngress(service)).equals(canonical(desired));
        return new LbPlan(target.equals(held) ? null : held, target.equals(held) ? null : target,
                same ? null : desired, null);
    }

    private static LbPlan failure(Service service, String held, String why) {
        return new LbPlan(held, null, hasIngress(service) ? List.of() : null, why);
    }

    /** Whether the Service is of type LoadBalancer with our class or none. */
    public static boolean ours(Service service) {
        if (!isLoadBalancer(service)) {
            return false;
        }
        String c = service.getSpec().getLoadBalancerClass();
        return c == null || c.isEmpty() || LOAD_BALANCER_CLASS.equals(c);
    }

    static boolean isLoadBalancer(Service service) {
        return service.getSpec() != null && LOAD_BALANCER.equals(service.getSpec().getType());
    }

    static String key(Service service) {
        return Clients.key(service);
    }

    /** The ingress IPs the Service's status shows, in order. */
    static List<String> ingressIps(Service service) {
        List<String> ips = new ArrayList<>();
        for (LoadBalancerIngress in : currentIngress(service)) {
            if (in.getIp() != null && !in.getIp().isEmpty()) {
                ips.add(in.getIp());
            }
        }
        return ips;
    }

    private static boolean hasIngress(Service service) {
        return !currentIngress(service).isEmpty();
    }

    private static List<LoadBalancerIngress> currentIngress(Service service) {
        if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return service.getStatus().getLoadBalancer().getIngress();
    }

    /** {@code {ip, ipMode: VIP, ports: [{port, protocol}…]}}: one address serves every port of the Service. */
    static LoadBalancerIngress ingress(String ip, Service service) {
        List<PortStatus> ports = new ArrayList<>();
        if (service.getSpec().getPorts() != null) {
            for (ServicePort p : service.getSpec().getPorts()) {
                ports.add(new PortStatus(null, p.getPort(), Objects.requireNonNullElse(p.getProtocol(), "TCP")));
            }
        }
        return new LoadBalancerIngressBuilder().withIp(ip).withIpMode(IP_MODE)
                .withPorts(ports.isEmpty() ? null : ports).build();
    }

    private static Object canonical(List<LoadBalancerIngress> ingress) {
        return Copies.canonical(ingress);
    }
}
