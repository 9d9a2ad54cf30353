package dev.ferry.apiserver.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A resource request path taken apart as k8s.io/apiserver's RequestInfoFactory does:
 * {@code /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]} and the same under {@code /apis/{group}/{version}}.
 * {@code namespaces/{name}/status|finalize} address the namespace itself.
 *
 * @param underNamespace the path named a namespace before the resource ({@code /namespaces/{ns}/{resource}...})
 */
public record RequestInfo(String group, String version, String namespace, String resource, String name,
        String subresource, boolean underNamespace) {

    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** Parses a resource path; null when the path is not a resource request (discovery, health, ...). */
    public static RequestInfo parse(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        String group;
        String version;
        int i;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            i = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            i = 3;
        } else {
            return null;
        }
        List<String> rest = parts.subList(i, parts.size());
        String namespace = "";
        boolean underNamespace = false;
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
                underNamespace = true;
            }
        }
        if (rest.size() > 3) {
            return null;
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String sub = rest.size() > 2 ? rest.get(2) : "";
        if (resource.equals("namespaces")) {
            namespace = "";
        }
        return new RequestInfo(group, version, namespace, resource, name, sub, underNamespace);
    }
}
