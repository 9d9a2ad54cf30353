package dev.ferry.apiserver.patch;

import static dev.ferry.apiserver.patch.Trees.canonical;
import static dev.ferry.apiserver.patch.Trees.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.apiserver.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPatchTest {
    private static final String DOC = "{'metadata':{'name':'web','labels':{'app':'x','a/b':'1','m~n':'2'}},"
            + "'spec':{'ports':[{'port':80},{'port':81}],'selector':{'app':'x'}}}";

    private static String apply(String patch) {
        return canonical(JsonPatch.parse(json(patch)).apply(json(DOC)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            [{'op':'add','path':'/spec/type','value':'NodePort'}]                     | /spec/type                  | "NodePort"
            [{'op':'add','path':'/spec/ports/-','value':{'port':82}}]                 | /spec/ports/2/port          | 82
            [{'op':'add','path':'/spec/ports/0','value':{'port':79}}]                 | /spec/ports/1/port          | 80
            [{'op':'remove','path':'/spec/ports/0'}]                                  | /spec/ports/0/port          | 81
            [{'op':'remove','path':'/metadata/labels/a~1b'}]                          | /metadata/labels/a~1b       | null
            [{'op':'replace','path':'/metadata/labels/m~0n','value':'3'}]             | /metadata/labels/m~0n       | "3"
            [{'op':'replace','path':'/spec/ports/-1/port','value':90}]                | /spec/ports/1/port          | 90
            [{'op':'move','from':'/spec/selector','path':'/spec/sel'}]                | /spec/sel/app               | "x"
            [{'op':'copy','from':'/spec/ports/1','path':'/spec/ports/-'}]             | /spec/ports/2/port          | 81
            [{'op':'test','path':'/spec/ports/0/port','value':80},{'op':'add','path':'/x','value':1}] | /x | 1
            [{'op':'test','path':'/spec/missing','value':null},{'op':'add','path':'/x','value':2}]    | /x | 2
            """)
    void operations(String patch, String pointer, String expected) {
        var out = JsonPatch.parse(json(patch)).apply(json(DOC));
        var at = out.at(pointer);
        assertThat(at.isMissingNode() ? "null" : canonical(at)).isEqualTo(expected);
    }

    @Test
    void inputIsNotModifiedAndOperationsRunInOrder() {
        var doc = json(DOC);
        var out = JsonPatch.parse(json("[{'op':'add','path':'/a','value':1},{'op':'replace','path':'/a','value':2}]"))
                .apply(doc);
        assertThat(out.get("a").asInt()).isEqualTo(2);
        assertThat(doc.has("a")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            [{'op':'test','path':'/spec/ports/0/port','value':81}]          | testing value /spec/ports/0/port failed
            [{'op':'remove','path':'/spec/nothere'}]                        | Unable to remove nonexistent key: nothere
            [{'op':'replace','path':'/spec/nothere','value':1}]             | doc is missing key: /spec/nothere
            [{'op':'add','path':'/nothere/x','value':1}]                    | doc is missing path: "/nothere/x"
            [{'op':'add','path':'/spec/ports/5','value':1}]                 | Unable to access invalid index: 5
            [{'op':'move','from':'/nothere','path':'/x'}]                   | doc is missing from path: /nothere
            [{'op':'frobnicate','path':'/x'}]                               | Unexpected kind: frobnicate
            """)
    void operationsThatDoNotApplyAre422(String patch, String detail) {
        assertThatThrownBy(() -> apply(patch))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.getMessage()).contains(detail);
                });
    }

    @Test
    void malformedPatchDocumentsAre400() {
        assertThatThrownBy(() -> JsonPatch.parse(json("{'op':'add'}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> JsonPatch.parse(json("[1]")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void tooManyOperationsAre413() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
            s.append(i == 0 ? "" : ",").append("{'op':'test','path':'/a','value':null}");
        }
        String patch = s.append("]").toString();
        assertThatThrownBy(() -> JsonPatch.parse(json(patch)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("maximum operations in a JSON patch is 10000, got 10001");
                });
    }
}
