package dev.ferry.api.selector;

/** A malformed label or field selector; the message is what the client should see. */
public final class SelectorException extends IllegalArgumentException {
    public SelectorException(String message) {
        super(message);
    }
}
