package dev.ferry.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestInfoTest {
    @Test
    void namespacedAndClusterPaths() {
        assertThat(RequestInfo.parse("/api/v1/namespaces/default/services/web/status"))
                .isEqualTo(new RequestInfo("", "v1", "default", "services", "web", "status", true));
        assertThat(RequestInfo.parse("/apis/apps/v1/namespaces/x/deployments"))
                .isEqualTo(new RequestInfo("apps", "v1", "x", "deployments", "", "", true));
        assertThat(RequestInfo.parse("/api/v1/pods"))
                .isEqualTo(new RequestInfo("", "v1", "", "pods", "", "", false));
        assertThat(RequestInfo.parse("/api/v1/nodes/n1"))
                .isEqualTo(new RequestInfo("", "v1", "", "nodes", "n1", "", false));
    }

    @Test
    void aNamespaceAndItsSubresourcesAddressTheNamespaceItself() {
        assertThat(RequestInfo.parse("/api/v1/namespaces/demo"))
                .isEqualTo(new RequestInfo("", "v1", "", "namespaces", "demo", "", false));
        assertThat(RequestInfo.parse("/api/v1/namespaces/demo/finalize"))
                .isEqualTo(new RequestInfo("", "v1", "", "namespaces", "demo", "finalize", false));
        assertThat(RequestInfo.parse("/api/v1/namespaces/demo/namespaces").underNamespace()).isTrue();
    }

    @Test
    void nonResourcePathsAreNotParsed() {
        assertThat(RequestInfo.parse("/api")).isNull();
        assertThat(RequestInfo.parse("/apis/apps")).isNull();
        assertThat(RequestInfo.parse("/api/v1/namespaces/a/services/b/status/extra")).isNull();
    }
}
