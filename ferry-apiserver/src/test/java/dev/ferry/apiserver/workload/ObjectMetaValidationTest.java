package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static dev.ferry.apiserver.workload.Trees.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.validation.FieldError;
import dev.ferry.api.validation.ValueValidation;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

final class ObjectMetaValidationTest {
    private final ObjectMetaValidation pods = ObjectMetaValidation.forKind("Pod", true);
    private final ObjectMetaValidation namespaces = ObjectMetaValidation.forKind("Namespace", false);

    @Test
    void validObjectHasNoErrors() {
        ObjectNode obj = json("{'metadata':{'name':'web-1.example','namespace':'default',"
                + "'labels':{'app':'web','example.com/tier':'','a_b.c-d':'X_y.z-1'},"
                + "'annotations':{'Example.COM/Note':'anything at all: ✓'}}}");
        assertThat(pods.validate(obj)).isEmpty();
    }

    @Test
    void nameIsRequiredWithUpstreamText() {
        List<FieldError> errs = pods.validate(json("{'metadata':{'namespace':'default'}}"));
        assertThat(errs).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("metadata.name");
            assertThat(e.type()).isEqualTo(FieldError.Type.REQUIRED);
            assertThat(e.toString()).isEqualTo("metadata.name: Required value: name or generateName is required");
        });
    }

    /** Go's RegexError really prints "', " then " or " between examples: two spaces before "or". */
    @Test
    void subdomainNameRule() {
        List<FieldError> errs = pods.validate(json("{'metadata':{'name':'Web_1','namespace':'default'}}"));
        assertThat(rendered(errs)).containsExactly("metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 "
                + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
                + "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        String tooLong = "a".repeat(254);
        assertThat(rendered(pods.validate(json("{'metadata':{'name':'" + tooLong + "','namespace':'d'}}"))))
                .containsExactly("metadata.name: Invalid value: \"" + tooLong + "\": must be no more than 253 characters");
    }

    @Test
    void namespaceNamesAreLabels() {
        assertThat(rendered(namespaces.validate(json("{'metadata':{'name':'a.b'}}"))))
                .containsExactly("metadata.name: Invalid value: \"a.b\": must not contain dots");
        String tooLong = "a".repeat(64);
        assertThat(rendered(namespaces.validate(json("{'metadata':{'name':'" + tooLong + "'}}"))))
                .containsExactly("metadata.name: Invalid value: \"" + tooLong + "\": must be no more than 63 characters");
        assertThat(rendered(namespaces.validate(json("{'metadata':{'name':'ok','namespace':'x'}}"))))
                .containsExactly("metadata.namespace: Forbidden: not allowed on this type");
    }

    @Test
    void servicesAreDns1035Labels() {
        ObjectMetaValidation services = ObjectMetaValidation.forKind("Service", true);
        assertThat(rendered(services.validate(json("{'metadata':{'name':'1abc','namespace':'default'}}"))))
                .containsExactly("metadata.name: Invalid value: \"1abc\": a DNS-1035 label must consist of lower "
                        + "case alphanumeric characters or '-', start with an alphabetic character, and end with an "
                        + "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
                        + "'[a-z]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void generateNameMayEndInDash() {
        assertThat(pods.validate(json("{'metadata':{'generateName':'web-','name':'web-x7k2p','namespace':'d'}}")))
                .isEmpty();
        assertThat(rendered(pods.validate(json("{'metadata':{'generateName':'Web-','name':'web-1','namespace':'d'}}"))))
                .singleElement().asString().startsWith("metadata.generateName: Invalid value: \"Web-\": a lowercase");
    }

    @Test
    void namespacedObjectsNeedANamespace() {
        assertThat(rendered(pods.validate(json("{'metadata':{'name':'p'}}"))))
                .containsExactly("metadata.namespace: Required value");
    }

    @Test
    void labelKeysAndValues() {
        List<FieldError> errs = pods.validate(json("{'metadata':{'name':'p','namespace':'d',"
                + "'labels':{'-bad':'ok','good':'-bad-','a/b/c':'x','/x':'y','" + "k".repeat(64) + "':'v'}}}"));
        assertThat(errs).allSatisfy(e -> {
            assertThat(e.field()).isEqualTo("metadata.labels");
            assertThat(e.type()).isEqualTo(FieldError.Type.INVALID);
        });
        assertThat(rendered(errs)).containsExactly(
                "metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', "
                        + "'_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                        + "'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "metadata.labels: Invalid value: \"-bad-\": a valid label must be an empty string or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                        + "'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                        + "(e.g. 'example.com/MyName')",
                "metadata.labels: Invalid value: \"/x\": prefix part must be non-empty",
                "metadata.labels: Invalid value: \"" + "k".repeat(64) + "\": name part must be no more than 63 "
                        + "characters");
    }

    @Test
    void labelValueTooLong() {
        String v = "v".repeat(64);
        assertThat(rendered(pods.validate(json("{'metadata':{'name':'p','namespace':'d','labels':{'k':'" + v + "'}}}"))))
                .containsExactly("metadata.labels: Invalid value: \"" + v + "\": must be no more than 63 characters");
    }

    @Test
    void annotationKeysAndTotalSize() {
        ObjectNode obj = json("{'metadata':{'name':'p','namespace':'d','annotations':{'UPPER.Example.com/OK':'x',"
                + "'bad key':'y'}}}");
        assertThat(pods.validate(obj)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("metadata.annotations");
            assertThat(e.badValue()).isEqualTo("bad key");
            assertThat(e.message()).startsWith("Invalid value: \"bad key\": name part must consist of");
        });
        ObjectNode big = json("{'metadata':{'name':'p','namespace':'d','annotations':{}}}");
        ((ObjectNode) big.at("/metadata/annotations")).put("a", "x".repeat(256 * 1024));
        assertThat(rendered(pods.validate(big)))
                .containsExactly("metadata.annotations: Too long: \"\": may not be more than 262144 bytes");
        ((ObjectNode) big.at("/metadata/annotations")).put("a", "x".repeat(256 * 1024 - 1));
        assertThat(pods.validate(big)).isEmpty();
    }

    @Test
    void ownerReferencesAndFinalizers() {
        ObjectNode obj = json("{'metadata':{'name':'p','namespace':'d','finalizers':['orphan','foregroundDeletion'],"
                + "'ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'rs','uid':'u1',"
                + "'controller':true},{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'rs2','uid':'u2',"
                + "'controller':true},{'apiVersion':'','kind':'','name':'','uid':''}]}}");
        List<String> errs = rendered(pods.validate(obj));
        assertThat(errs).contains(
                "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": kind must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": name must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty");
        assertThat(errs).anyMatch(s -> s.startsWith("metadata.ownerReferences: Invalid value: ")
                && s.endsWith("Only one reference can have Controller set to true. Found \"true\" in references for "
                + "ReplicaSet/rs and ReplicaSet/rs2"));
        assertThat(errs).anyMatch(s -> s.startsWith("metadata.finalizers: Invalid value: [\"orphan\",")
                && s.endsWith("finalizer orphan and foregroundDeletion cannot be both set"));
    }

    @Test
    void updateKeepsIdentityImmutable() {
        ObjectNode old = json("{'metadata':{'name':'p','namespace':'d','uid':'u1','resourceVersion':'5',"
                + "'generation':3,'creationTimestamp':'2024-01-02T03:04:05Z'}}");
        ObjectNode now = json("{'metadata':{'name':'p','namespace':'d','uid':'u2','resourceVersion':'5',"
                + "'generation':2,'creationTimestamp':'2024-01-02T03:04:05Z'}}");
        assertThat(rendered(pods.validateUpdate(now, old))).containsExactly(
                "metadata.generation: Invalid value: 2: must not be decremented",
                "metadata.uid: Invalid value: \"u2\": field is immutable");

        ObjectNode noRv = json("{'metadata':{'name':'p','namespace':'d','uid':'u1','generation':3,"
                + "'creationTimestamp':'2024-01-02T03:04:05Z'}}");
        assertThat(rendered(pods.validateUpdate(noRv, old)))
                .containsExactly("metadata.resourceVersion: Invalid value: \"\": must be specified for an update");
    }

    @Test
    void noNewFinalizersWhileDeleting() {
        ObjectNode old = json("{'metadata':{'name':'p','namespace':'d','resourceVersion':'5','finalizers':['a/x'],"
                + "'deletionTimestamp':'2024-01-02T03:04:05Z'}}");
        ObjectNode now = json("{'metadata':{'name':'p','namespace':'d','resourceVersion':'5',"
                + "'finalizers':['a/x','b/y'],'deletionTimestamp':'2024-01-02T03:04:05Z'}}");
        assertThat(rendered(pods.validateUpdate(now, old))).containsExactly("metadata.finalizers: Forbidden: "
                + "no new finalizers can be added if the object is being deleted, found new finalizers []string{\"b/y\"}");
    }

    @Test
    void portNamesFollowIanaSvcName() {
        assertThat(ValueValidation.isValidPortName("http")).isEmpty();
        assertThat(ValueValidation.isValidPortName("-a--b-")).containsExactly("must not contain consecutive hyphens",
                "must not begin or end with a hyphen");
        assertThat(ValueValidation.isValidPortName("123")).containsExactly("must contain at least one letter (a-z)");
        assertThat(ValueValidation.isValidPortName("abcdefghijklmnop"))
                .containsExactly("must be no more than 15 characters");
        assertThat(ValueValidation.isValidPortName("HTTP")).containsExactly(
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)");
    }
}
