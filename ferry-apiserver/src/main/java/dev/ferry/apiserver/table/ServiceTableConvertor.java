package dev.ferry.apiserver.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Services, ported from upstream's {@code printService}: CLUSTER-IP is the first cluster IP or "&lt;none&gt;";
 * EXTERNAL-IP is the external IPs ("&lt;none&gt;" when none) for ClusterIP/NodePort, the load-balancer ingress
 * IPs/hostnames then external IPs ("&lt;pending&gt;" when none) for LoadBalancer, the external name for
 * ExternalName; PORT(S) is "80/TCP" or "80:30080/TCP" joined by commas. Rendered wide, so the ingress list is never
 * clipped to 16 characters.
 */
final class ServiceTableConvertor implements TableConvertor {
    private static final List<ColumnDefinition> COLUMNS = List.of(
            ColumnDefinition.nameColumn(),
            ColumnDefinition.of("Type", "string", Docs.SERVICE_TYPE),
            ColumnDefinition.of("Cluster-IP", "string", Docs.CLUSTER_IP),
            ColumnDefinition.of("External-IP", "string", Docs.EXTERNAL_IPS),
            ColumnDefinition.of("Port(s)", "string", Docs.SERVICE_PORTS),
            ColumnDefinition.ageColumn(),
            ColumnDefinition.wide("Selector", "string", Docs.SERVICE_SELECTOR));

    @Override
    public List<ColumnDefinition> columns() {
        return COLUMNS;
    }

    @Override
    public Row row(ObjectNode svc, Instant now) {
        JsonNode spec = Fields.at(svc, "spec");
        List<String> clusterIps = Fields.strings(spec, "clusterIPs");
        String clusterIp = !clusterIps.isEmpty() ? clusterIps.get(0) : Formats.orNone(Fields.str(spec, "clusterIP"));
        String ports = Formats.orNone(portString(Fields.list(spec, "ports")));
        return Row.of(Formats.name(svc), Fields.str(spec, "type"), clusterIp, externalIp(svc), ports,
                Formats.age(svc, now), Formats.labels(Fields.at(spec, "selector")));
    }

    static String externalIp(JsonNode svc) {
        JsonNode spec = Fields.at(svc, "spec");
        List<String> externalIps = Fields.strings(spec, "externalIPs");
        switch (Fields.str(spec, "type")) {
            case "ClusterIP", "NodePort" -> {
                return externalIps.isEmpty() ? Formats.NONE : String.join(",", externalIps);
            }
            case "LoadBalancer" -> {
                String lbIps = loadBalancerIngress(Fields.at(svc, "status", "loadBalancer"));
                if (!externalIps.isEmpty()) {
                    List<String> all = new ArrayList<>();
                    if (!lbIps.isEmpty()) {
                        all.addAll(List.of(lbIps.split(",")));
                    }
                    all.addAll(externalIps);
                    return String.join(",", all);
                }
                return lbIps.isEmpty() ? "<pending>" : lbIps;
            }
            case "ExternalName" -> {
                return Fields.str(spec, "externalName");
            }
            default -> {
                return "<unknown>";
            }
        }
    }

    /** The distinct ingress IPs (else hostnames), sorted, comma-joined. */
    private static String loadBalancerIngress(JsonNode lbStatus) {
        TreeSet<String> result = new TreeSet<>();
        for (JsonNode ingress : Fields.list(lbStatus, "ingress")) {
            String ip = Fields.str(ingress, "ip");
            String hostname = Fields.str(ingress, "hostname");
            if (!ip.isEmpty()) {
                result.add(ip);
            } else if (!hostname.isEmpty()) {
                result.add(hostname);
            }
        }
        return String.join(",", result);
    }

    /** A port without a protocol is shown as TCP, the API default. */
    private static String portString(List<JsonNode> ports) {
        List<String> pieces = new ArrayList<>();
        for (JsonNode p : ports) {
            String protocol = Fields.str(p, "protocol");
            if (protocol.isEmpty()) {
                protocol = "TCP";
            }
            long nodePort = Fields.num(p, "nodePort");
            pieces.add(nodePort > 0
                    ? Fields.num(p, "port") + ":" + nodePort + "/" + protocol
                    : Fields.num(p, "port") + "/" + protocol);
        }
        return String.join(",", pieces);
    }
}
