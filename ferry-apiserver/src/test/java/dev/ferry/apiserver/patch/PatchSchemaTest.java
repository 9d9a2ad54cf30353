package dev.ferry.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.patch.PatchSchema.Field;
import dev.ferry.apiserver.patch.PatchSchema.ListKind;
import dev.ferry.apiserver.patch.PatchSchema.ListOf;
import dev.ferry.apiserver.patch.PatchSchema.MapOf;
import dev.ferry.apiserver.patch.PatchSchema.Struct;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PatchSchemaTest {
    private final PatchSchema schema = PatchSchema.kube();

    /** kind, path, SMP strategy, SMP merge key, SSA list kind, SSA keys (from upstream struct tags and markers). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            Service       | spec.ports                               | merge            | port          | MAP    | port,protocol
            Pod           | spec.containers                          | merge            | name          | MAP    | name
            Pod           | spec.initContainers                      | merge            | name          | MAP    | name
            Pod           | spec.containers.env                      | merge            | name          | MAP    | name
            Pod           | spec.containers.ports                    | merge            | containerPort | MAP    | containerPort,protocol
            Pod           | spec.containers.volumeMounts             | merge            | mountPath     | MAP    | mountPath
            Pod           | spec.volumes                             | merge,retainKeys | name          | MAP    | name
            Pod           | spec.imagePullSecrets                    | merge            | name          | MAP    | name
            Pod           | spec.tolerations                         | -                | -             | ATOMIC | -
            Pod           | spec.containers.command                  | -                | -             | ATOMIC | -
            Pod           | status.conditions                        | merge            | type          | MAP    | type
            Pod           | metadata.ownerReferences                 | merge            | uid           | MAP    | uid
            Pod           | metadata.finalizers                      | merge            | -             | SET    | -
            Deployment    | spec.template.spec.containers            | merge            | name          | MAP    | name
            Deployment    | spec.template.spec.containers.env        | merge            | name          | MAP    | name
            Deployment    | status.conditions                        | merge            | type          | MAP    | type
            ReplicaSet    | spec.template.spec.volumes               | merge,retainKeys | name          | MAP    | name
            Node          | status.conditions                        | merge            | type          | MAP    | type
            Node          | spec.podCIDRs                            | merge            | -             | SET    | -
            Node          | spec.taints                              | -                | -             | ATOMIC | -
            Namespace     | status.conditions                        | merge            | type          | MAP    | type
            EndpointSlice | endpoints                                | -                | -             | ATOMIC | -
            EndpointSlice | endpoints.addresses                      | -                | -             | SET    | -
            Endpoints     | subsets                                  | -                | -             | ATOMIC | -
            Service       | spec.externalIPs                         | -                | -             | ATOMIC | -
            """)
    void listMetadataMatchesUpstreamTags(String kind, String path, String strategy, String mergeKey, ListKind ssaKind,
            String ssaKeys) {
        Field f = schema.field(kind, path).orElseThrow();
        assertThat(String.join(",", f.strategies())).isEqualTo(strategy == null ? "" : strategy);
        assertThat(f.mergeKey()).isEqualTo(mergeKey);
        ListOf list = (ListOf) f.type();
        assertThat(list.kind()).isEqualTo(ssaKind);
        assertThat(list.keys()).isEqualTo(ssaKeys == null ? List.of() : List.of(ssaKeys.split(",")));
    }

    @Test
    void mapsAndStructsCarryAtomicityAndDefaults() {
        assertThat(((MapOf) schema.field("Service", "spec.selector").orElseThrow().type()).atomic()).isTrue();
        assertThat(((MapOf) schema.field("Pod", "metadata.labels").orElseThrow().type()).atomic()).isFalse();
        assertThat(((Struct) schema.field("Deployment", "spec.selector").orElseThrow().type()).atomic()).isTrue();
        assertThat(schema.field("Deployment", "spec.strategy").orElseThrow().strategies()).containsExactly("retainKeys");
        assertThat(schema.field("Service", "spec.ports.protocol").orElseThrow().defaultValue().asString())
                .isEqualTo("TCP");
        assertThat(schema.field("Service", "spec").orElseThrow().valueStruct()).isTrue();
        assertThat(schema.field("Scale", "spec.replicas")).isPresent();
        assertThat(schema.field("Event", "involvedObject.uid")).isPresent();
    }

    @Test
    void unknownKindsAndFieldsAreDeduced() {
        assertThat(schema.root("ConfigMap")).isEqualTo(PatchSchema.Deduced.INSTANCE);
        assertThat(schema.knows("ConfigMap")).isFalse();
        assertThat(schema.field("Service", "spec.noSuchField")).isEmpty();
    }
}
