package dev.ferry.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class ValueValidationTest {
    private static final String KEY_REGEX = "must consist of alphanumeric characters, '-', '_' or '.', and must start "
            + "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    @Test
    void qualifiedNames() {
        String tooLong = "k".repeat(64);
        assertThat(ValueValidation.isQualifiedName("example.com/" + tooLong))
                .containsExactly("name part must be no more than 63 characters");
        assertThat(ValueValidation.isQualifiedName("a/b/c")).containsExactly("a qualified name " + KEY_REGEX
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        String longPrefix = "a".repeat(254);
        assertThat(ValueValidation.isQualifiedName(longPrefix + "/x"))
                .containsExactly("prefix part must be no more than 253 characters");
        assertThat(ValueValidation.isQualifiedName("/x")).containsExactly("prefix part must be non-empty");
        assertThat(ValueValidation.isQualifiedName("example.com/")).containsExactly("name part must be non-empty",
                "name part " + KEY_REGEX);
        assertThat(ValueValidation.isQualifiedName("example.com/My_Name.1")).isEmpty();
    }

    @Test
    void labelValues() {
        String v = "v".repeat(64);
        assertThat(ValueValidation.isValidLabelValue(v)).containsExactly("must be no more than 63 characters");
        assertThat(ValueValidation.isValidLabelValue("")).isEmpty();
        assertThat(ValueValidation.isValidLabelValue("-x")).singleElement().asString()
                .startsWith("a valid label must be an empty string");
    }

    @Test
    void lengthsAreUtf8Bytes() {
        assertThat(ValueValidation.byteLength("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
        // 32 two-byte characters: 64 bytes, over the limit as in Go, although only 32 chars.
        assertThat(ValueValidation.isDns1123Label("é".repeat(32))).first()
                .isEqualTo("must be no more than 63 characters");
    }

    @Test
    void dnsLabelsAndSubdomains() {
        assertThat(ValueValidation.isDns1123Label("my-name")).isEmpty();
        assertThat(ValueValidation.isDns1123Label("a.b")).containsExactly("must not contain dots");
        assertThat(ValueValidation.isDns1123Subdomain("example.com")).isEmpty();
        assertThat(ValueValidation.isDns1123Subdomain("Example")).singleElement().asString()
                .startsWith("a lowercase RFC 1123 subdomain must consist of");
        assertThat(ValueValidation.isDns1035Label("1abc")).singleElement().asString()
                .startsWith("a DNS-1035 label must consist of");
        assertThat(ValueValidation.isDns1035Label("abc-1")).isEmpty();
    }

    @Test
    void portsPercentAndEnvNames() {
        assertThat(ValueValidation.isValidPortNum(0)).containsExactly("must be between 1 and 65535, inclusive");
        assertThat(ValueValidation.isValidPortNum(65535)).isEmpty();
        assertThat(ValueValidation.isValidPercent("25%")).isEmpty();
        assertThat(ValueValidation.isValidPercent("25")).containsExactly("a valid percent string must be a numeric "
                + "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
        assertThat(ValueValidation.isRelaxedEnvVarName("")).containsExactly(
                "environment variable name must be non-empty");
        assertThat(ValueValidation.isRelaxedEnvVarName("A=B")).containsExactly(
                "a valid environment variable name must consist only of printable ASCII characters other than '='");
        assertThat(ValueValidation.isRelaxedEnvVarName("1.my-VAR")).isEmpty();
    }
}
