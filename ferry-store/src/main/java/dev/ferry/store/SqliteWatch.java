package dev.ferry.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: a thread that first replays the log from the start revision up to the revision the hub had
 * published when the watch registered, then delivers live batches the hub queued meanwhile and afterwards. It never
 * delivers a revision at or below the last one delivered, so the hand-over has neither gaps nor duplicates.
 *
 * <p>The listener is only called from that thread. The live queue is unbounded: listeners must not block.
 */
final class SqliteWatch implements Watch {

    /** Rows read per history query. */
    static final int REPLAY_PAGE = 512;

    private static final Logger LOG = LoggerFactory.getLogger(SqliteWatch.class);
    private static final List<WatchEvent> WAKE_UP = List.of();

    private final String prefix;
    private final WatchListener listener;
    private final SqliteReadPool reads;
    private final WatchHub hub;
    private final LinkedBlockingQueue<List<WatchEvent>> live = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile StoreException failure;
    // delivery thread only
    private long delivered;

    SqliteWatch(String prefix, WatchListener listener, SqliteReadPool reads, WatchHub hub) {
        this.prefix = prefix;
        this.listener = listener;
        this.reads = reads;
        this.hub = hub;
    }

    /** Registers with the hub and starts delivering events after {@code afterRevision}. */
    void start(long afterRevision) {
        delivered = afterRevision;
        long replayUpTo = hub.register(this);
        Thread.ofPlatform().daemon().name("ferry-watch " + prefix).start(() -> run(replayUpTo));
    }

    /** Called by the hub with one committed batch; keeps the events under this watch's prefix. */
    void offer(List<WatchEvent> events) {
        List<WatchEvent> mine = null;
        for (WatchEvent e : events) {
            if (e.kv().key().startsWith(prefix)) {
                if (mine == null) {
                    mine = new ArrayList<>();
                }
                mine.add(e);
            }
        }
        if (mine != null) {
            live.add(mine);
        }
    }

    /** Ends the watch abnormally: the listener gets {@code error} unless the watch was closed first. */
    void fail(StoreException error) {
        failure = error;
        live.add(WAKE_UP);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        hub.unregister(this);
        live.add(WAKE_UP);
    }

    private void run(long replayUpTo) {
        try {
            replay(replayUpTo);
            while (!closed && failure == null) {
                deliver(live.take());
            }
            if (!closed) {
                end(failure);
            }
        } catch (StoreException e) {
            end(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("watch listener for {} failed; closing the watch", prefix, e);
            close();
        }
    }

    private void replay(long upTo) {
        while (delivered < upTo && !closed && failure == null) {
            long from = delivered;
            List<LogRow> rows = reads.read(log -> {
                long compacted = log.compactedRevision();
                if (from + 1 < compacted) {
                    throw new StoreException.Compacted(from, compacted);
                }
                return log.history(prefix, from, upTo, REPLAY_PAGE);
            });
            deliver(rows.stream().map(LogRow::event).toList());
            if (rows.size() < REPLAY_PAGE) {
                return;
            }
        }
    }

    private void deliver(List<WatchEvent> events) {
        int skip = 0;
        while (skip < events.size() && events.get(skip).revision() <= delivered) {
            skip++;
        }
        if (skip == events.size() || closed) {
            return;
        }
        List<WatchEvent> fresh = skip == 0 ? events : events.subList(skip, events.size());
        delivered = fresh.getLast().revision();
        listener.onEvents(fresh);
    }

    private void end(StoreException error) {
        if (closed) {
            return;
        }
        closed = true;
        hub.unregister(this);
        listener.onError(error);
    }
}
