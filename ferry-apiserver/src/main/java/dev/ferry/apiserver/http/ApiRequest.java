package dev.ferry.apiserver.http;

import java.util.List;
import java.util.Map;

/** A request as the handlers see it: transport-free, body already read (and size-checked). */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String accept,
        String contentType, byte[] body) {

    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String param(String name, String dflt) {
        String v = param(name);
        return v == null ? dflt : v;
    }

    public boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equals("true") || v.equals("1") || v.isEmpty());
    }

    /** The media type of the body without parameters, lower-cased ("" when absent). */
    public String mediaType() {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }
}
