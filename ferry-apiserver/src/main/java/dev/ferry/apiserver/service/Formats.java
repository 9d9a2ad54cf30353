package dev.ferry.apiserver.service;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.allocation.Cidr;
import dev.ferry.apiserver.allocation.IpAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' string-format checks (k8s.io/apimachinery/pkg/util/validation and api/validate/content) with their
 * exact messages. Each {@code is*} method returns the messages for one value, empty when valid.
 */
final class Formats {
    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    static final String LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    static final String LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?";

    static final String IP_INVALID = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    static final String CIDR_INVALID = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern LABEL_KEY = Pattern.compile(LABEL_KEY_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
    private static final Pattern ONE_LETTER = Pattern.compile(".*[a-z].*", Pattern.DOTALL);

    private Formats() {
    }

    static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    private static String maxBytesError(int length) {
        return "must be no more than " + length + " bytes";
    }

    static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder s = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                s.append(" or ");
            }
            s.append('\'').append(examples[i]).append("', ");
        }
        return s.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    static String inclusiveRangeError(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    static List<String> isDns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLenError(63));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                        + "'-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT,
                        "my-name", "123-abc"));
            }
        }
        return errs;
    }

    static List<String> isDns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLenError(253));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                    + "'-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT,
                    "example.com"));
        }
        return errs;
    }

    static List<String> isDns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLenError(63));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
                    + "with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT,
                    "my-name", "abc-123"));
        }
        return errs;
    }

    /** A "qualified name" (label key): optional DNS-subdomain prefix and '/', then a name of at most 63 bytes. */
    static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        String keyMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                + "alphanumeric character";
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part must be non-empty");
                } else {
                    for (String m : isDns1123SubdomainBytes(prefix)) {
                        errs.add("prefix part " + m);
                    }
                }
            }
            default -> {
                errs.add("a valid label key " + regexError(keyMsg, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part " + maxBytesError(63));
        }
        if (!LABEL_KEY.matcher(name).matches()) {
            errs.add("name part " + regexError(keyMsg, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    private static List<String> isDns1123SubdomainBytes(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxBytesError(253));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                    + "'-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT,
                    "example.com"));
        }
        return errs;
    }

    static List<String> isLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxBytesError(63));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
                    + "or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT,
                    "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** IANA_SVC_NAME: at most 15 of {@code [-a-z0-9]}, at least one letter, no "--", no leading/trailing '-'. */
    static List<String> isValidPortName(String port) {
        List<String> errs = new ArrayList<>();
        if (port.length() > 15) {
            errs.add(maxLenError(15));
        }
        if (!PORT_NAME_CHARSET.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!ONE_LETTER.matcher(port).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    static List<String> isValidPortNum(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRangeError(1, 65535));
    }

    static void addInvalid(List<FieldError> out, String field, Object value, List<String> messages) {
        for (String m : messages) {
            out.add(FieldError.invalid(field, value, m));
        }
    }

    static void dns1123Label(List<FieldError> out, String field, String value) {
        addInvalid(out, field, value, isDns1123Label(value));
    }

    static void dns1123Subdomain(List<FieldError> out, String field, String value) {
        addInvalid(out, field, value, isDns1123Subdomain(value));
    }

    static void qualifiedName(List<FieldError> out, String field, String value) {
        addInvalid(out, field, value, isQualifiedName(value));
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
    static void labels(List<FieldError> out, String field, tools.jackson.databind.JsonNode labels) {
        if (labels == null || !labels.isObject()) {
            return;
        }
        for (var e : labels.properties()) {
            addInvalid(out, field, e.getKey(), isQualifiedName(e.getKey()));
            String v = e.getValue().isString() ? e.getValue().asString() : e.getValue().toString();
            addInvalid(out, field, v, isLabelValue(v));
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
        List<String> errs = isDns1123Subdomain(name);
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
            List<String> le = isDns1123Label(label);
            if (!le.isEmpty()) {
                out.add(FieldError.invalid(field, label, String.join(",", le)));
                return;
            }
        }
    }
}
