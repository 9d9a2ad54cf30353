package dev.ferry.images;

/** Recognises the start of an HTTP/1.x request in the first bytes a client sends. */
final class HttpSniff {
    private static final String[] METHODS = {"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ",
        "CONNECT ", "TRACE "};

    private HttpSniff() {
    }

    /** True when {@code buffer[0, length)} starts with an HTTP method and a space. */
    static boolean isRequestLine(byte[] buffer, int length) {
        for (String method : METHODS) {
            if (startsWith(buffer, length, method)) {
                return true;
            }
        }
        return false;
    }

    static boolean startsWith(byte[] buffer, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buffer[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Index just past the blank line ending the request head, or -1 when it has not arrived yet. */
    static int headerEnd(byte[] buffer, int length) {
        for (int i = 3; i < length; i++) {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
                return i + 1;
            }
        }
        for (int i = 1; i < length; i++) {
            if (buffer[i] == '\n' && buffer[i - 1] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
