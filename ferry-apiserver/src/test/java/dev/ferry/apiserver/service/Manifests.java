package dev.ferry.apiserver.service;

import dev.ferry.api.Json;
import dev.ferry.api.validation.FieldError;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Test manifests written as JSON with single quotes, and upstream message texts typed out literally. */
final class Manifests {
    static final String DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            + "with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
            + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    static final String DNS1123_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    static final String DNS1123_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    static final String NAME_PART = "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
            + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
            + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    static final String LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    static final String PORT_RANGE = "must be between 1 and 65535, inclusive";
    static final String BAD_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    static final String BAD_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    private Manifests() {
    }

    static ObjectNode json(String singleQuoted) {
        return (ObjectNode) Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }

    /** A Service named "web" in "default" with the given spec. */
    static ObjectNode service(String specJson) {
        ObjectNode svc = json("{'apiVersion':'v1','kind':'Service','metadata':{'name':'web','namespace':'default'}}");
        svc.set("spec", json(specJson));
        return svc;
    }

    static List<String> render(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).toList();
    }
}
