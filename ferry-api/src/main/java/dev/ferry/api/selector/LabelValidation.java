package dev.ferry.api.selector;

import java.util.regex.Pattern;

/** Syntax checks for label keys and values (k8s.io/apimachinery/pkg/util/validation). */
public final class LabelValidation {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private LabelValidation() {
    }

    /** {@code [prefix/]name}: prefix a DNS-1123 subdomain ≤ 253, name ≤ 63 of the label-name charset. */
    public static boolean isQualifiedName(String s) {
        int slash = s.indexOf('/');
        String name = s;
        if (slash >= 0) {
            String prefix = s.substring(0, slash);
            name = s.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches();
    }

    /** Empty, or ≤ 63 of the label-name charset. */
    public static boolean isLabelValue(String s) {
        return s.isEmpty() || (s.length() <= 63 && NAME.matcher(s).matches());
    }
}
