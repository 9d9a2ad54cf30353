package dev.ferry.apiserver.service;

import dev.ferry.apiserver.allocation.AllocationLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Periodic repair of a shared {@link AllocationLedger}, as upstream's allocation repair controllers:
 * <ul>
 * <li>a claim no stored Service accounts for (a crash between claim and write, or a create still in flight) is deleted
 * once two consecutive sweeps saw that same claim (same revision) unbacked, and its value freed locally;
 * <li>a value marked in the local bitmaps that nobody claims and no stored Service uses is freed locally (it was held
 * by another API server when this one tried it, and has been released since).
 * </ul>
 * Freeing a value locally is always safe: the ledger decides, so a wrongly freed value only costs a failed claim.
 * Does nothing for an unshared ledger. {@link #sweep()} is not thread-safe; the scheduler runs it on one thread.
 */
public final class AllocationRepair implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AllocationRepair.class);

    private final ServiceAllocations allocations;
    private final Supplier<? extends Iterable<ObjectNode>> storedServices;
    private Set<AllocationLedger.Claim> unbacked = Set.of();
    private ScheduledExecutorService scheduler;

    /** @param storedServices every stored Service, read at each sweep */
    public AllocationRepair(ServiceAllocations allocations, Supplier<? extends Iterable<ObjectNode>> storedServices) {
        this.allocations = allocations;
        this.storedServices = storedServices;
    }

    /** Sweeps every {@code interval} on a daemon thread, first after one interval, until {@link #close()}. */
    public AllocationRepair start(Duration interval) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "allocation-repair");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::sweepLogged, ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sweepLogged() {
        try {
            for (AllocationLedger.Claim c : sweep()) {
                log.info("allocation repair: released unbacked {} claim {} (owner {})", c.kind(), c.value(),
                        c.owner());
            }
        } catch (RuntimeException e) {
            log.warn("allocation repair failed: {}", e.toString());
        }
    }

    /** One pass; returns the claims it deleted. */
    public List<AllocationLedger.Claim> sweep() {
        AllocationLedger ledger = allocations.ledger();
        if (!ledger.shared()) {
            return List.of();
        }
        // Order matters: local marks, then claims, then Services; each later read sees at least what the earlier saw.
        Set<String> marked = allocations.locallyMarked();
        List<AllocationLedger.Claim> claims = ledger.claims();
        Set<String> backed = ServiceAllocations.claimKeysOf(storedServices.get());
        Set<String> claimed = new HashSet<>();
        Set<AllocationLedger.Claim> stillUnbacked = new HashSet<>();
        List<AllocationLedger.Claim> released = new ArrayList<>();
        for (AllocationLedger.Claim c : claims) {
            String key = c.kind() + "/" + c.value();
            if (backed.contains(key)) {
                claimed.add(key);
            } else if (!unbacked.contains(c)) {
                stillUnbacked.add(c);
                claimed.add(key);
            } else if (ledger.releaseIfUnchanged(c)) {
                released.add(c);
            } else {
                claimed.add(key);
            }
        }
        unbacked = stillUnbacked;
        for (String key : marked) {
            if (!claimed.contains(key) && !backed.contains(key)) {
                int slash = key.indexOf('/');
                allocations.freeLocally(key.substring(0, slash), key.substring(slash + 1));
            }
        }
        return released;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
