package dev.ferry.proxy.plan;

import dev.ferry.proxy.model.EndpointInfo;
import dev.ferry.proxy.model.EndpointSliceCache;
import dev.ferry.proxy.model.ServicePortInfo;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.ServicePortName;
import dev.ferry.proxy.route.ServicePortState;
import dev.ferry.proxy.route.ServiceRoute;
import dev.ferry.proxy.route.ServiceRoute.Kind;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the frontends of one Service and their routes (kube-proxy's per-service rules, §4.1): every ClusterIP, the
 * NodePort on each node address, each local externalIP and each local load-balancer address, per service port.
 * A service port without any usable endpoint gets no frontend at all, so the kernel refuses its connections
 * (TCP RST, ICMP port unreachable for UDP), as kube-proxy's REJECT rule does. Pure.
 */
public final class ServiceRoutes {
    private ServiceRoutes() {
    }

    public static Map<Frontend, ServiceRoute> build(List<ServicePortInfo> ports,
            Map<String, List<EndpointInfo>> endpoints, RouteContext ctx,
            Function<ServicePortName, ServicePortState> states) {
        Map<Frontend, ServiceRoute> out = new LinkedHashMap<>();
        InetAddress masquerade = ctx.nodeIps().isEmpty() ? null : ctx.nodeIps().get(0);
        for (ServicePortInfo svc : ports) {
            ServicePortName name = svc.name();
            List<EndpointInfo> eps = EndpointSliceCache.forPort(endpoints, name.port(), name.protocol().name());
            ServicePortState state = states.apply(name);
            Map<Kind, ServiceRoute> byKind = new LinkedHashMap<>();
            Function<Kind, ServiceRoute> route = kind -> byKind.computeIfAbsent(kind,
                    k -> new ServiceRoute(svc, k, eps, ctx.nodes(), masquerade, state, ctx.nanoClock(),
                            ctx.maxCandidates()));
            if (!route.apply(Kind.CLUSTER_IP).hasEndpoints()) {
                continue;
            }
            for (InetAddress ip : svc.clusterIps()) {
                out.put(new Frontend(ip, svc.port(), name.protocol()), route.apply(Kind.CLUSTER_IP));
            }
            if (svc.nodePort() != 0) {
                for (InetAddress ip : ctx.nodeIps()) {
                    out.put(new Frontend(ip, svc.nodePort(), name.protocol()), route.apply(Kind.NODE_PORT));
                }
            }
            for (InetAddress ip : svc.externalIps()) {
                if (ctx.isLocal().test(ip)) {
                    out.putIfAbsent(new Frontend(ip, svc.port(), name.protocol()), route.apply(Kind.EXTERNAL_IP));
                }
            }
            for (InetAddress ip : svc.loadBalancerIps()) {
                if (ctx.isLocal().test(ip)) {
                    out.putIfAbsent(new Frontend(ip, svc.port(), name.protocol()), route.apply(Kind.LOAD_BALANCER));
                }
            }
        }
        return out;
    }
}
