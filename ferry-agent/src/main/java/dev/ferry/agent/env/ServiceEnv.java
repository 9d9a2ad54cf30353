package dev.ferry.agent.env;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Service link environment variables a container starts with (SERVICES.md §6, upstream kubelet
 * {@code getServiceEnvVarMap} and {@code envvars.FromServices}).
 *
 * <p>Only Services with a ClusterIP (not "" or "None") count. The {@code kubernetes} Service of namespace
 * {@code default} is always included; the Services of the pod's own namespace only when {@code enableServiceLinks}
 * (default true). A Service named {@code kubernetes} in the pod's namespace wins over the default one. Per Service,
 * with prefix P (name upper-cased, {@code -} and {@code .} to {@code _}, {@code _} in front of a leading digit) and
 * first port p0:
 * <pre>
 * P_SERVICE_HOST=ip  P_SERVICE_PORT=p0  P_SERVICE_PORT_&lt;NAME&gt;=port (named ports)
 * P_PORT=proto://ip:p0  and per port: P_PORT_&lt;port&gt;_&lt;PROTO&gt;=proto://ip:port, …_PROTO, …_PORT, …_ADDR
 * </pre>
 * The result is ordered by Service name, then as listed above, for stable output.
 */
public final class ServiceEnv {
    /** Upstream "master services": always visible from every namespace. */
    private static final String MASTER_SERVICE = "kubernetes";
    private static final String DEFAULT_NAMESPACE = "default";

    private ServiceEnv() {
    }

    /** Variables for {@code pod}, from any collection of Services (those of other namespaces are ignored). */
    public static Map<String, String> forPod(Pod pod, Collection<Service> services) {
        Boolean links = pod.getSpec() == null ? null : pod.getSpec().getEnableServiceLinks();
        return of(pod.getMetadata().getNamespace(), links == null || links, services);
    }

    /** Variables for a pod in {@code namespace}. */
    public static Map<String, String> of(String namespace, boolean enableServiceLinks, Collection<Service> services) {
        Map<String, Service> byName = new TreeMap<>();
        for (Service service : services) {
            if (!hasClusterIp(service)) {
                continue;
            }
            String name = service.getMetadata().getName();
            String ns = service.getMetadata().getNamespace();
            if (DEFAULT_NAMESPACE.equals(ns) && MASTER_SERVICE.equals(name)) {
                byName.putIfAbsent(name, service);
            } else if (ns != null && ns.equals(namespace) && enableServiceLinks) {
                byName.put(name, service);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        byName.values().stream().sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .forEach(service -> addService(env, service));
        return env;
    }

    static boolean hasClusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None");
    }

    private static void addService(Map<String, String> env, Service service) {
        String prefix = variableName(service.getMetadata().getName());
        String ip = service.getSpec().getClusterIP();
        env.put(prefix + "_SERVICE_HOST", ip);
        var ports = service.getSpec().getPorts();
        if (ports == null || ports.isEmpty()) {
            return;
        }
        env.put(prefix + "_SERVICE_PORT", String.valueOf(ports.getFirst().getPort()));
        for (ServicePort port : ports) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + transform(port.getName()), String.valueOf(port.getPort()));
            }
        }
        String hostIp = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
            String lower = protocol.toLowerCase(Locale.ROOT);
            String url = lower + "://" + hostIp + ":" + port.getPort();
            if (i == 0) {
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", String.valueOf(port.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    /** The variable prefix for a Service name: upper case, {@code -}/{@code .} to {@code _}, no leading digit. */
    public static String variableName(String name) {
        String transformed = transform(name);
        return !transformed.isEmpty() && Character.isDigit(transformed.charAt(0)) ? "_" + transformed : transformed;
    }

    private static String transform(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
