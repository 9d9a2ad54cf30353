package dev.ferry.apiserver.patch;

import static dev.ferry.apiserver.patch.Trees.canonical;
import static dev.ferry.apiserver.patch.Trees.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonMergePatchTest {

    /** RFC 7386 appendix A. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {'a':'b'}                 | {'a':'c'}              | {'a':'c'}
            {'a':'b'}                 | {'b':'c'}              | {'a':'b','b':'c'}
            {'a':'b'}                 | {'a':null}             | {}
            {'a':'b','b':'c'}         | {'a':null}             | {'b':'c'}
            {'a':['b']}               | {'a':'c'}              | {'a':'c'}
            {'a':'c'}                 | {'a':['b']}            | {'a':['b']}
            {'a':{'b':'c'}}           | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}
            {'a':[{'b':'c'}]}         | {'a':[1]}              | {'a':[1]}
            {'e':null}                | {'a':1}                | {'e':null,'a':1}
            {}                        | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}
            """)
    void rfc7386Examples(String target, String patch, String expected) {
        assertThat(canonical(JsonMergePatch.apply(json(target), json(patch)))).isEqualTo(canonical(json(expected)));
    }

    @Test
    void nonObjectPatchReplacesTheDocument() {
        assertThat(canonical(JsonMergePatch.apply(json("{'a':'foo'}"), json("['c']")))).isEqualTo("[\"c\"]");
    }

    @Test
    void kubectlLabelAndUnlabelBodies() {
        var pod = json("{'metadata':{'name':'x','labels':{'app':'x'}},'spec':{'containers':[{'name':'c'}]}}");
        var labelled = JsonMergePatch.apply(pod, json("{'metadata':{'labels':{'version':'v1'}}}"));
        assertThat(canonical(labelled.get("metadata").get("labels"))).isEqualTo(canonical(json(
                "{'app':'x','version':'v1'}")));
        var unlabelled = JsonMergePatch.apply(labelled, json("{'metadata':{'labels':{'version':null}}}"));
        assertThat(canonical(unlabelled.get("metadata").get("labels"))).isEqualTo("{\"app\":\"x\"}");
        assertThat(pod.get("metadata").get("labels").has("version")).as("input untouched").isFalse();
    }

    @Test
    void kubectlScaleBodyReplacesReplicas() {
        var scale = json("{'kind':'Scale','apiVersion':'autoscaling/v1','spec':{'replicas':1},'status':{'replicas':1}}");
        var out = JsonMergePatch.apply(scale, json("{'spec':{'replicas':5}}"));
        assertThat(out.get("spec").get("replicas").asInt()).isEqualTo(5);
        assertThat(out.get("status").get("replicas").asInt()).isEqualTo(1);
    }
}
