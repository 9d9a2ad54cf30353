package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.net.IpAddresses;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Write rules for core/v1 Endpoints: ports default to TCP; validation as upstream's {@code ValidateEndpoints}
 * (addresses are valid, non-special IPs; ports are named when there are several, 1-65535, TCP/UDP/SCTP).
 */
public final class EndpointsStrategy implements Strategy {

    private final SpecialIpValidator specialIps;

    public EndpointsStrategy(SpecialIpValidator specialIps) {
        this.specialIps = specialIps;
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        applyDefaults(obj);
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        applyDefaults(obj);
    }

    private static void applyDefaults(ObjectNode obj) {
        for (ObjectNode subset : Nodes.objects(obj, "subsets")) {
            for (ObjectNode port : Nodes.objects(subset, "ports")) {
                if (Nodes.text(port, "protocol").isEmpty()) {
                    port.put("protocol", "TCP");
                }
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        SpecialIpValidator ips = SpecialIpValidator.isApiServerEndpoints(obj)
                ? specialIps.allowingAllLoopback() : specialIps;
        List<ObjectNode> subsets = Nodes.objects(obj, "subsets");
        for (int i = 0; i < subsets.size(); i++) {
            ObjectNode subset = subsets.get(i);
            String path = "subsets[" + i + "]";
            List<ObjectNode> ready = Nodes.objects(subset, "addresses");
            List<ObjectNode> notReady = Nodes.objects(subset, "notReadyAddresses");
            if (ready.isEmpty() && notReady.isEmpty()) {
                errs.add(FieldError.required(path, "must specify `addresses` or `notReadyAddresses`"));
            }
            for (int a = 0; a < ready.size(); a++) {
                address(errs, ips, ready.get(a), path + ".addresses[" + a + "]");
            }
            for (int a = 0; a < notReady.size(); a++) {
                address(errs, ips, notReady.get(a), path + ".notReadyAddresses[" + a + "]");
            }
            List<ObjectNode> ports = Nodes.objects(subset, "ports");
            for (int p = 0; p < ports.size(); p++) {
                port(errs, ports.get(p), ports.size() > 1, path + ".ports[" + p + "]");
            }
        }
        return errs;
    }

    private static void address(List<FieldError> errs, SpecialIpValidator ips, ObjectNode address, String path) {
        String ip = Nodes.text(address, "ip");
        if (!IpAddresses.isValid(ip)) {
            errs.add(FieldError.invalid(path + ".ip", ip, Formats.IP_INVALID));
        }
        String hostname = Nodes.text(address, "hostname");
        if (!hostname.isEmpty()) {
            Formats.dns1123Label(errs, path + ".hostname", hostname);
        }
        if (Nodes.isSet(address, "nodeName")) {
            Formats.dns1123Subdomain(errs, path + ".nodeName", Nodes.text(address, "nodeName"));
        }
        errs.addAll(ips.validate(ip, path + ".ip"));
    }

    private static void port(List<FieldError> errs, ObjectNode port, boolean requireName, String path) {
        String name = Nodes.text(port, "name");
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(path + ".name", ""));
        } else if (!name.isEmpty()) {
            Formats.dns1123Label(errs, path + ".name", name);
        }
        Formats.portNumberAndProtocol(errs, port, path);
        JsonNode appProtocol = Nodes.get(port, "appProtocol");
        if (appProtocol != null) {
            Formats.qualifiedName(errs, path + ".appProtocol", appProtocol.asString());
        }
    }
}
