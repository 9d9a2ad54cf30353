package dev.ferry.proxy.sync;

/** Where the proxier reports that it cannot serve (part of) a Service, as a Warning event on it. */
public interface ServiceEvents {

    void warning(String namespace, String name, String reason, String message);
}
