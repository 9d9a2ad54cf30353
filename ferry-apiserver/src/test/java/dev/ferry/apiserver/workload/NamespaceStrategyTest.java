package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static dev.ferry.apiserver.workload.Trees.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.validation.FieldError;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

final class NamespaceStrategyTest {
    private final NamespaceStrategy strategy = new NamespaceStrategy();

    @Test
    void createAddsFinalizerPhaseAndNameLabel() {
        ObjectNode ns = json("{'metadata':{'name':'foo'},'spec':{},'status':{'phase':'Terminating'}}");
        strategy.prepareForCreate(ns);
        assertThat(ns.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        assertThat(ns.path("status").toString()).isEqualTo("{\"phase\":\"Active\"}");
        assertThat(ns.at("/metadata/labels").toString()).isEqualTo("{\"kubernetes.io/metadata.name\":\"foo\"}");
        assertThat(strategy.validate(ns)).isEmpty();
    }

    @Test
    void createKeepsOtherFinalizersOnce() {
        ObjectNode ns = json("{'metadata':{'name':'foo'},'spec':{'finalizers':['example.com/x','kubernetes']}}");
        strategy.prepareForCreate(ns);
        assertThat(ns.at("/spec/finalizers").toString()).isEqualTo("[\"example.com/x\",\"kubernetes\"]");
    }

    @Test
    void updateKeepsFinalizersAndStatusAndRelabels() {
        ObjectNode old = json("{'metadata':{'name':'foo'},'spec':{'finalizers':['kubernetes']},"
                + "'status':{'phase':'Active'}}");
        ObjectNode update = json("{'metadata':{'name':'foo','labels':{'kubernetes.io/metadata.name':'bar'}},"
                + "'spec':{'finalizers':[]},'status':{'phase':'Terminating'}}");
        strategy.prepareForUpdate(update, old);
        assertThat(update.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        assertThat(update.at("/status/phase").asString()).isEqualTo("Active");
        assertThat(update.at("/metadata/labels/kubernetes.io~1metadata.name").asString()).isEqualTo("foo");
    }

    @Test
    void finalizerNames() {
        ObjectNode ns = json("{'metadata':{'name':'foo'},'spec':{'finalizers':['custom','a/b']}}");
        assertThat(strategy.validate(ns)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("spec.finalizers");
            assertThat(e.type()).isEqualTo(FieldError.Type.INVALID);
            assertThat(e.toString()).isEqualTo("spec.finalizers: Invalid value: \"custom\": name is neither a "
                    + "standard finalizer name nor is it fully qualified");
        });
    }

    @Test
    void statusPhaseMustMatchDeletion() {
        ObjectNode old = json("{'metadata':{'name':'foo'},'status':{'phase':'Active'}}");
        ObjectNode write = json("{'metadata':{'name':'foo'},'status':{'phase':'Terminating'}}");
        assertThat(rendered(strategy.validateStatusUpdate(write, old))).containsExactly(
                "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty");
        ObjectNode deleting = json("{'metadata':{'name':'foo','deletionTimestamp':'2024-01-02T03:04:05Z'},"
                + "'status':{'phase':'Terminating'}}");
        assertThat(strategy.validateStatusUpdate(deleting, old)).isEmpty();
    }
}
