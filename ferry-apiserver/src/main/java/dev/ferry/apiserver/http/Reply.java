package dev.ferry.apiserver.http;

import dev.ferry.apiserver.storage.Watcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What a handler answers: a whole body, or a watch stream the transport pumps. */
public sealed interface Reply {

    /** A whole answer; each of {@code warnings} becomes a {@code Warning: 299 - "..."} header, as upstream sends. */
    record Body(int status, String contentType, byte[] bytes, java.util.List<String> warnings) implements Reply {
        public Body(int status, String contentType, byte[] bytes) {
            this(status, contentType, bytes, java.util.List.of());
        }

        public static Body text(int status, String text) {
            return new Body(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        public Body withWarnings(java.util.List<String> more) {
            if (more.isEmpty()) {
                return this;
            }
            java.util.List<String> all = new java.util.ArrayList<>(warnings);
            all.addAll(more);
            return new Body(status, contentType, bytes, java.util.List.copyOf(all));
        }
    }

    /**
     * A watch: the transport takes events from {@code watcher} and writes {@code encoder.apply(event-or-bookmark)} for
     * each, until {@code timeout} passes or the client goes away.
     *
     * @param bookmarkEvery null when the client did not ask for bookmarks
     * @param onEnd         run once when the stream ends, however it ends
     */
    record Stream(String contentType, Watcher watcher, WatchEncoder encoder, Duration timeout,
            Duration bookmarkEvery, Runnable onEnd) implements Reply {
    }

    /**
     * A plain byte stream of unknown length (a container log): the transport answers 200 with {@code contentType},
     * writes each chunk as soon as {@code body} yields it, and ends when {@code body} ends or the client goes away
     * (then the reading thread is interrupted and {@code body} closed).
     */
    record Chunks(String contentType, java.io.InputStream body) implements Reply {
    }

    /** Turns cache events into wire frames (one JSON object, without the trailing newline). */
    interface WatchEncoder {
        byte[] event(dev.ferry.apiserver.storage.CacheEvent event);

        byte[] bookmark(long revision);

        /** The ERROR frame ending a watch whose cache window was lost (410 Expired). */
        byte[] expired(long revision);
    }
}
