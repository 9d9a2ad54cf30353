package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.api.net.IpAddresses;
import dev.ferry.apiserver.resource.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Write rules for discovery.k8s.io/v1 EndpointSlices: ports default to name "" and protocol TCP; validation as
 * upstream's {@code ValidateEndpointSlice}: addressType required (IPv4, IPv6 or FQDN) and immutable, 1-100 addresses of
 * that type per endpoint (IPs non-special), at most 1000 endpoints and 100 ports, unique port names.
 */
public final class EndpointSliceStrategy implements Strategy {
    private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    static final int MAX_ENDPOINTS = 1000;
    static final int MAX_ADDRESSES = 100;
    static final int MAX_PORTS = 100;
    static final int MAX_HINTS = 8;

    private final SpecialIpValidator specialIps;

    public EndpointSliceStrategy(SpecialIpValidator specialIps) {
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
        for (ObjectNode port : Nodes.objects(obj, "ports")) {
            if (!Nodes.isSet(port, "name")) {
                port.put("name", "");
            }
            if (!Nodes.isSet(port, "protocol")) {
                port.put("protocol", "TCP");
            }
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode obj) {
        List<FieldError> errs = new ArrayList<>();
        String addressType = Nodes.text(obj, "addressType");
        if (addressType.isEmpty()) {
            errs.add(FieldError.required("addressType", ""));
        } else if (!ADDRESS_TYPES.contains(addressType)) {
            errs.add(FieldError.notSupported("addressType", addressType, ADDRESS_TYPES.toArray(String[]::new)));
        }
        endpoints(errs, obj, addressType,
                SpecialIpValidator.isApiServerSlice(obj) ? specialIps.allowingAllLoopback() : specialIps);
        ports(errs, obj);
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = validate(obj);
        if (!Objects.equals(Nodes.get(obj, "addressType"), Nodes.get(old, "addressType"))) {
            errs.add(FieldError.invalid("addressType", Nodes.text(obj, "addressType"), "field is immutable"));
        }
        return errs;
    }

    private static void endpoints(List<FieldError> errs, ObjectNode obj, String addressType,
            SpecialIpValidator specialIps) {
        int count = Nodes.size(obj, "endpoints");
        if (count > MAX_ENDPOINTS) {
            errs.add(FieldError.tooMany("endpoints", count, MAX_ENDPOINTS));
            return;
        }
        List<ObjectNode> endpoints = Nodes.objects(obj, "endpoints");
        for (int i = 0; i < endpoints.size(); i++) {
            ObjectNode ep = endpoints.get(i);
            String path = "endpoints[" + i + "]";
            String addressesPath = path + ".addresses";
            List<String> addresses = Nodes.strings(ep, "addresses");
            if (addresses.isEmpty()) {
                errs.add(FieldError.required(addressesPath, "must contain at least 1 address"));
            } else if (addresses.size() > MAX_ADDRESSES) {
                errs.add(FieldError.tooMany(addressesPath, addresses.size(), MAX_ADDRESSES));
            }
            for (int a = 0; a < addresses.size(); a++) {
                String address = addresses.get(a);
                String p = addressesPath + "[" + a + "]";
                switch (addressType) {
                    case "IPv4" -> {
                        if (!IpAddresses.isIPv4(address)) {
                            errs.add(FieldError.invalid(p, address, "must be a valid IPv4 address"));
                        }
                        errs.addAll(specialIps.validate(address, p));
                    }
                    case "IPv6" -> {
                        if (!IpAddresses.isIPv6(address)) {
                            errs.add(FieldError.invalid(p, address, "must be a valid IPv6 address"));
                        }
                        errs.addAll(specialIps.validate(address, p));
                    }
                    case "FQDN" -> Formats.fullyQualifiedDomainName(errs, p, address);
                    default -> {
                    }
                }
            }
            if (Nodes.isSet(ep, "nodeName")) {
                Formats.dns1123Subdomain(errs, path + ".nodeName", Nodes.text(ep, "nodeName"));
            }
            if (Nodes.isSet(ep, "hostname")) {
                Formats.dns1123Label(errs, path + ".hostname", Nodes.text(ep, "hostname"));
            }
            JsonNode hints = Nodes.get(ep, "hints");
            if (hints != null) {
                hints(errs, hints, path + ".hints");
            }
        }
    }

    private static void hints(List<FieldError> errs, JsonNode hints, String path) {
        List<ObjectNode> zones = Nodes.objects(hints, "forZones");
        if (zones.size() > MAX_HINTS) {
            errs.add(FieldError.tooMany(path + ".forZones", zones.size(), MAX_HINTS));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < zones.size(); i++) {
                String zone = Nodes.text(zones.get(i), "name");
                String p = path + ".forZones[" + i + "].name";
                if (!seen.add(zone)) {
                    errs.add(FieldError.duplicate(p, zone));
                }
                Formats.addInvalid(errs, p, zone, ValueValidation.isValidLabelValue(zone));
            }
        }
        List<ObjectNode> nodes = Nodes.objects(hints, "forNodes");
        if (nodes.size() > MAX_HINTS) {
            errs.add(FieldError.tooMany(path + ".forNodes", nodes.size(), MAX_HINTS));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < nodes.size(); i++) {
                String node = Nodes.text(nodes.get(i), "name");
                String p = path + ".forNodes[" + i + "].name";
                if (!seen.add(node)) {
                    errs.add(FieldError.duplicate(p, node));
                }
                Formats.dns1123Subdomain(errs, p, node);
            }
        }
    }

    private static void ports(List<FieldError> errs, ObjectNode obj) {
        int count = Nodes.size(obj, "ports");
        if (count > MAX_PORTS) {
            errs.add(FieldError.tooMany("ports", count, MAX_PORTS));
            return;
        }
        List<ObjectNode> ports = Nodes.objects(obj, "ports");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            String path = "ports[" + i + "]";
            String name = Nodes.text(port, "name");
            if (!name.isEmpty()) {
                Formats.dns1123Label(errs, path + ".name", name);
            }
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(path + ".name", name));
            }
            if (!Nodes.isSet(port, "protocol")) {
                errs.add(FieldError.required(path + ".protocol", ""));
            } else {
                Formats.supportedProtocol(errs, path + ".protocol", Nodes.text(port, "protocol"));
            }
            if (Nodes.isSet(port, "appProtocol")) {
                Formats.qualifiedName(errs, path + ".appProtocol", Nodes.text(port, "appProtocol"));
            }
        }
    }
}
