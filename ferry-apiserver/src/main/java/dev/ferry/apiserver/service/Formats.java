package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.IpAddresses;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The Service package's field checks: {@link ValueValidation}'s string checks wrapped into {@link FieldError}s, plus
 * the IP and CIDR checks.
 */
final class Formats {
    static final String IP_INVALID = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    static final String CIDR_INVALID = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    /** The protocols a Service, Endpoints or EndpointSlice port may name. */
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

    private Formats() {
    }

    static void addInvalid(List<FieldError> out, String field, Object value, List<String> messages) {
        for (String m : messages) {
            out.add(FieldError.invalid(field, value, m));
        }
    }

    static void dns1123Label(List<FieldError> out, String field, String value) {
        addInvalid(out, field, value, ValueValidation.isDns1123Label(value));
    }

    static void dns1123Subdomain(List<FieldError> out, String field, String value) {
        addInvalid(out, field, value, ValueValidation.isDns1123Subdomain(value));
    }

    static void qualifiedName(List<FieldError> out, String field, String value) {
        addInvalid(out, field, value, ValueValidation.isQualifiedName(value));
    }

    /** A Service or Endpoints port's number (1-65535) and its protocol (required; SCTP, TCP or UDP). */
    static void portNumberAndProtocol(List<FieldError> out, JsonNode port, String path) {
        long number = Nodes.integer(port, "port");
        addInvalid(out, path + ".port", number, ValueValidation.isValidPortNum(number));
        String protocol = Nodes.text(port, "protocol");
        if (protocol.isEmpty()) {
            out.add(FieldError.required(path + ".protocol", ""));
        } else {
            supportedProtocol(out, path + ".protocol", protocol);
        }
    }

    static void supportedProtocol(List<FieldError> out, String field, String protocol) {
        if (!PROTOCOLS.contains(protocol)) {
            out.add(FieldError.notSupported(field, protocol, PROTOCOLS.toArray(String[]::new)));
        }
    }

    static void validIp(List<FieldError> out, String field, String value) {
        if (!IpAddresses.isValid(value)) {
            out.add(FieldError.invalid(field, value, IP_INVALID));
        }
    }

    static void validCidr(List<FieldError> out, String field, String value) {
        if (Cidr.tryParse(value) == null) {
            out.add(FieldError.invalid(field, value, CIDR_INVALID));
        }
    }

    /** metav1 label-map validation: keys are qualified names, values label values, both reported at {@code field}. */
    static void labels(List<FieldError> out, String field, JsonNode labels) {
        if (labels == null || !labels.isObject()) {
            return;
        }
        for (var e : labels.properties()) {
            addInvalid(out, field, e.getKey(), ValueValidation.isQualifiedName(e.getKey()));
            String v = e.getValue().isString() ? e.getValue().asString() : e.getValue().toString();
            addInvalid(out, field, v, ValueValidation.isValidLabelValue(v));
        }
    }

    /** IsFullyQualifiedDomainName: a DNS subdomain of at least two labels; one trailing dot allowed. */
    static void fullyQualifiedDomainName(List<FieldError> out, String field, String name) {
        if (name.isEmpty()) {
            out.add(FieldError.required(field, ""));
            return;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        List<String> errs = ValueValidation.isDns1123Subdomain(name);
        if (!errs.isEmpty()) {
            out.add(FieldError.invalid(field, name, String.join(",", errs)));
            return;
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            out.add(FieldError.invalid(field, name, "should be a domain with at least two segments separated by dots"));
            return;
        }
        for (String label : labels) {
            List<String> le = ValueValidation.isDns1123Label(label);
            if (!le.isEmpty()) {
                out.add(FieldError.invalid(field, label, String.join(",", le)));
                return;
            }
        }
    }
}
