package dev.ferry.apiserver.patch;

import static dev.ferry.apiserver.patch.Trees.canonical;
import static dev.ferry.apiserver.patch.Trees.json;
import static dev.ferry.apiserver.patch.Trees.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.apiserver.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrategicMergePatchTest {
    private static final PatchSchema SCHEMA = PatchSchema.kube();

    private static ObjectNode patch(String kind, String live, String patch) {
        return StrategicMergePatch.apply(obj(live), obj(patch), SCHEMA.root(kind));
    }

    private static String names(JsonNode list, String key) {
        StringBuilder s = new StringBuilder();
        list.forEach(i -> s.append(s.isEmpty() ? "" : ",").append(i.isObject() ? i.get(key).asString() : i.asString()));
        return s.toString();
    }

    /** The live Service after `kubectl apply -f svc.yaml` and server defaulting. */
    private static final String LIVE_SVC = """
            {'apiVersion':'v1','kind':'Service','metadata':{'name':'my-svc','namespace':'default','labels':{'app':'x'},
             'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}},
             'spec':{'selector':{'app':'x'},'ports':[{'port':80,'targetPort':9376,'protocol':'TCP'}],
             'type':'ClusterIP','clusterIP':'10.96.0.10','sessionAffinity':'None'}}""";

    @Test
    void kubectlApplyOfChangedServicePortReplacesThePort() {
        // the exact body kubectl 1.32 sent for svc.yaml -> svc2.yaml (KUBECTL.md)
        ObjectNode out = patch("Service", LIVE_SVC, """
                {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'new'}},
                 'spec':{'$setElementOrder/ports':[{'port':81}],
                         'ports':[{'port':81,'targetPort':9376},{'$patch':'delete','port':80}]}}""");
        assertThat(canonical(out.get("spec").get("ports"))).isEqualTo(canonical(json("[{'port':81,'targetPort':9376}]")));
        assertThat(out.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asString())
                .isEqualTo("new");
        assertThat(out.at("/spec/clusterIP").asString()).isEqualTo("10.96.0.10");
        assertThat(canonical(out.at("/spec/selector"))).isEqualTo("{\"app\":\"x\"}");
        assertThat(obj(LIVE_SVC).at("/spec/ports/0/port").asInt()).isEqualTo(80);
    }

    @Test
    void kubectlApplyOfChangedDeploymentMergesContainersAndReplacesEnv() {
        String live = """
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web'}},
                 'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},
                  'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[
                    {'name':'nginx','image':'nginx:1.26','ports':[{'containerPort':80,'protocol':'TCP'}],
                     'env':[{'name':'A','value':'1'}],'imagePullPolicy':'IfNotPresent','resources':{}}],
                    'restartPolicy':'Always'}}}}""";
        // what kubectl apply -f dep2.yaml computes against dep.yaml
        ObjectNode out = patch("Deployment", live, """
                {'spec':{'replicas':3,'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],
                  'containers':[{'$setElementOrder/env':[{'name':'B'}],
                    'env':[{'name':'B','value':'2'},{'$patch':'delete','name':'A'}],
                    'image':'nginx:1.27','name':'nginx'}]}}}}""");
        JsonNode c = out.at("/spec/template/spec/containers/0");
        assertThat(out.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(out.at("/spec/template/spec/containers").size()).isEqualTo(1);
        assertThat(c.get("image").asString()).isEqualTo("nginx:1.27");
        assertThat(canonical(c.get("env"))).isEqualTo(canonical(json("[{'name':'B','value':'2'}]")));
        assertThat(c.get("imagePullPolicy").asString()).isEqualTo("IfNotPresent");
        assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(80);
        assertThat(out.at("/spec/template/spec/restartPolicy").asString()).isEqualTo("Always");
    }

    @Test
    void setElementOrderKeepsServerOnlyItemsInTheirRelativePlace() {
        String live = "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}";
        ObjectNode out = patch("Pod", live, """
                {'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'a'}],
                         'containers':[{'name':'c','image':'ci'},{'name':'a','image':'ai'}]}}""");
        assertThat(names(out.at("/spec/containers"), "name")).isEqualTo("b,c,a");
        assertThat(out.at("/spec/containers/1/image").asString()).isEqualTo("ci");
    }

    @Test
    void mergeListAppendsNewItemsAheadOfServerOnlyOnes() {
        String live = "{'spec':{'containers':[{'name':'nginx','ports':[{'containerPort':80,'name':'http'}]}]}}";
        ObjectNode out = patch("Pod", live,
                "{'spec':{'containers':[{'name':'nginx','ports':[{'containerPort':443}]}]}}");
        assertThat(canonical(out.at("/spec/containers/0/ports")))
                .isEqualTo(canonical(json("[{'containerPort':443},{'containerPort':80,'name':'http'}]")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {'spec':{'selector':{'tier':'b'}}}                             | /spec/selector | {'app':'x','tier':'b'}
            {'spec':{'selector':{'$patch':'replace','tier':'b'}}}          | /spec/selector | {'tier':'b'}
            {'metadata':{'labels':{'$patch':'delete'}}}                    | /metadata/labels | {}
            {'spec':{'type':null}}                                         | /spec/type     | null
            {'spec':{'externalIPs':['1.2.3.4']}}                           | /spec/externalIPs | ['1.2.3.4']
            {'spec':{'ports':[{'port':8080},{'$patch':'replace'}]}}        | /spec/ports    | [{'port':8080}]
            {'spec':{'ports':[{'port':80,'name':'http'}]}}                 | /spec/ports    | [{'port':80,'targetPort':9376,'protocol':'TCP','name':'http'}]
            {'spec':{'newField':{'a':1}}}                                  | /spec/newField | {'a':1}
            """)
    void serviceDirectives(String patch, String pointer, String expected) {
        ObjectNode out = patch("Service", LIVE_SVC, patch);
        JsonNode at = out.at(pointer);
        assertThat(at.isMissingNode() ? "null" : canonical(at)).isEqualTo(canonical(json(expected)));
    }

    @Test
    void nonMergeListsAreReplaced() {
        String live = "{'spec':{'tolerations':[{'key':'a'}],'containers':[{'name':'c','command':['x','y']}]}}";
        ObjectNode out = patch("Pod", live,
                "{'spec':{'tolerations':[{'key':'b'}],'containers':[{'name':'c','command':['z']}]}}");
        assertThat(canonical(out.at("/spec/tolerations"))).isEqualTo(canonical(json("[{'key':'b'}]")));
        assertThat(canonical(out.at("/spec/containers/0/command"))).isEqualTo("[\"z\"]");
    }

    @Test
    void retainKeysClearsUnlistedFields() {
        String live = "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}";
        ObjectNode out = patch("Deployment", live,
                "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
        assertThat(canonical(out.at("/spec/strategy"))).isEqualTo("{\"type\":\"Recreate\"}");

        String volumes = "{'spec':{'volumes':[{'name':'v','emptyDir':{}}]}}";
        ObjectNode swapped = patch("Pod", volumes,
                "{'spec':{'volumes':[{'$retainKeys':['name','hostPath'],'name':'v','hostPath':{'path':'/x'}}]}}");
        assertThat(canonical(swapped.at("/spec/volumes"))).isEqualTo(canonical(json(
                "[{'name':'v','hostPath':{'path':'/x'}}]")));
    }

    @Test
    void primitiveMergeListsUnionAndDeleteFromPrimitiveList() {
        String live = "{'metadata':{'finalizers':['a','b','c']}}";
        ObjectNode out = patch("Pod", live,
                "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b'],'finalizers':['d','a']}}");
        assertThat(names(out.at("/metadata/finalizers"), null)).isEqualTo("d,a,c");
        ObjectNode cidrs = patch("Node", "{'spec':{'podCIDRs':['10.0.0.0/24']}}",
                "{'spec':{'podCIDRs':['10.0.1.0/24']}}");
        assertThat(cidrs.at("/spec/podCIDRs").size()).isEqualTo(2);
    }

    @Test
    void deleteDirectiveOnlyRemovesTheMatchingItem() {
        String live = "{'spec':{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}}";
        ObjectNode out = patch("Pod", live,
                "{'spec':{'containers':[{'name':'a','env':[{'$patch':'delete','name':'X'}]}]}}");
        assertThat(canonical(out.at("/spec/containers/0/env"))).isEqualTo(canonical(json("[{'name':'Y','value':'2'}]")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {'spec':{'selector':{'$patch':'frob'}}}                                     | 400 | unknown patch type: frob
            {'spec':{'ports':[{'$patch':'delete'}]}}                                    | 400 | does not contain declared merge key: port
            {'spec':{'ports':[{'$patch':'merge','port':1}]}}                            | 400 | merging lists cannot yet be specified
            {'spec':{'$retainKeys':'type','type':'x'}}                                  | 400 | invalid patch format of retainKeys
            {'spec':{'$retainKeys':['type'],'clusterIP':'x'}}                           | 400 | invalid patch format of retainKeys
            {'spec':{'$setElementOrder/ports':[{'port':81}],'ports':[{'port':80},{'port':81}]}} | 400 | doesn't match $setElementOrder list
            {'spec':{'$setElementOrderports':[]}}                                       | 400 | invalid patch format of setElementOrder list
            {'metadata':{'$deleteFromPrimitiveListfinalizers':['a']}}                   | 400 | invalid patch format of primitive list
            """)
    void malformedDirectives(String patch, int code, String message) {
        assertThatThrownBy(() -> patch("Service", LIVE_SVC, patch))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void listsOfListsAre422() {
        assertThatThrownBy(() -> patch("Pod", "{'metadata':{'finalizers':[['a']]}}",
                "{'metadata':{'finalizers':[['b']]}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("lists of lists are not supported");
                });
    }
}
