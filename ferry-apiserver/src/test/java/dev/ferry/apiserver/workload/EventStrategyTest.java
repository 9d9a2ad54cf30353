package dev.ferry.apiserver.workload;

import static dev.ferry.apiserver.workload.Trees.json;
import static dev.ferry.apiserver.workload.Trees.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.validation.FieldError;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

final class EventStrategyTest {
    private final EventStrategy strategy = new EventStrategy();

    @Test
    void oldStyleEventNamespaceMustMatchInvolvedObject() {
        ObjectNode ok = json("{'metadata':{'name':'p.17a','namespace':'default'},'involvedObject':{'kind':'Pod',"
                + "'name':'p','namespace':'default'},'reason':'Started','message':'m','type':'Normal'}");
        assertThat(strategy.validate(ok)).isEmpty();

        ObjectNode mismatch = json("{'metadata':{'name':'p.17a','namespace':'team-a'},'involvedObject':"
                + "{'kind':'Pod','name':'p','namespace':'default'}}");
        assertThat(strategy.validate(mismatch)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("involvedObject.namespace");
            assertThat(e.type()).isEqualTo(FieldError.Type.INVALID);
            assertThat(e.toString()).isEqualTo(
                    "involvedObject.namespace: Invalid value: \"default\": does not match event.namespace");
        });

        ObjectNode clusterScoped = json("{'metadata':{'name':'n1.17a','namespace':'default'},'involvedObject':"
                + "{'kind':'Node','name':'n1'}}");
        assertThat(strategy.validate(clusterScoped)).isEmpty();
    }

    @Test
    void newStyleEventsNeedReportingFields() {
        ObjectNode ev = json("{'metadata':{'name':'e','namespace':'team-a'},'eventTime':'2024-01-02T03:04:05.000001Z',"
                + "'involvedObject':{'kind':'Node','name':'n1'},'reportingComponent':'bad name'}");
        ev.put("reason", "r".repeat(129));
        assertThat(rendered(strategy.validate(ev))).containsExactly(
                "involvedObject.namespace: Invalid value: \"\": does not match event.namespace",
                "reportingComponent: Invalid value: \"bad name\": name part must consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "reportingInstance: Required value",
                "action: Required value",
                "reason: Invalid value: \"\": can have at most 128 characters");
    }

    @Test
    void eventNamesAreNotCheckedByMetaValidation() {
        ObjectMetaValidation meta = ObjectMetaValidation.forKind("Event", true);
        assertThat(meta.validate(json("{'metadata':{'name':'Node_1.17A','namespace':'default'}}"))).isEmpty();
    }
}
