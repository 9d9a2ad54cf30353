package dev.ferry.bench;

/** Cheap parsing of watch event lines ({@code {"type":"ADDED","object":{...,"metadata":{"name":"x",...}}}}). */
final class WatchEvents {
    private static final String METADATA = "\"metadata\":{";
    private static final String NAME = "\"name\":\"";

    private WatchEvents() {
    }

    /** The event type ({@code ADDED}, {@code ERROR}, ...), or null if the line has none. */
    static String type(String line) {
        int at = line.indexOf("\"type\":\"");
        if (at < 0) {
            return null;
        }
        int from = at + "\"type\":\"".length();
        int end = line.indexOf('"', from);
        return end < 0 ? null : line.substring(from, end);
    }

    /**
     * The object's {@code metadata.name}, or null. Assumes {@code name} is the first {@code "name"} key after the
     * object's {@code "metadata":{}} (Ferry writes metadata with name first, and no nested object precedes it).
     */
    static String objectName(String line) {
        int meta = line.indexOf(METADATA);
        if (meta < 0) {
            return null;
        }
        int at = line.indexOf(NAME, meta);
        if (at < 0) {
            return null;
        }
        int from = at + NAME.length();
        int end = line.indexOf('"', from);
        return end < 0 ? null : line.substring(from, end);
    }
}
