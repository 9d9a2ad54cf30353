package dev.ferry.proxy.sync;

import dev.ferry.proxy.route.Frontend;

/** Turns a failure to bind a frontend into a message that names the reason and the fix. */
final class BindProblems {
    private BindProblems() {
    }

    static String describe(Frontend f, Exception e) {
        String m = String.valueOf(e.getMessage());
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        String why;
        if (lower.contains("permission denied") || lower.contains("eacces")) {
            why = "permission denied"
                    + (f.port() < 1024 ? ": ports below 1024 need root or CAP_NET_BIND_SERVICE (or sysctl "
                            + "net.ipv4.ip_unprivileged_port_start=" + f.port() + ")" : "");
        } else if (lower.contains("address already in use")) {
            why = "the address is already in use by another process; stop it or change the Service's port";
        } else if (lower.contains("cannot assign requested address")) {
            why = "the address is not on this machine";
        } else {
            why = m;
        }
        return "cannot serve " + f + ": " + why;
    }
}
