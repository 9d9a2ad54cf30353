package dev.ferry.apiserver.allocation;

import java.util.List;

/**
 * Who holds which allocated value (a Service's cluster IP, a node port) across every API server writing to one store.
 * The local bitmaps ({@link IpAllocator}, {@link PortAllocator}) only pick candidates; a value belongs to a writer once
 * {@link #claim} returned true, and to nobody else until it is {@link #release released}. A claim is atomic across
 * processes, so two API servers never hold the same value.
 */
public interface AllocationLedger {
    /** Kind of the claims of cluster IPs. */
    String SERVICE_IPS = "serviceips";
    /** Kind of the claims of node ports (including health-check node ports). */
    String NODE_PORTS = "nodeports";

    /**
     * One held value.
     *
     * @param owner    who claimed it ("namespace/name" of the Service)
     * @param revision identifies this claim: a value released and claimed again has a different revision
     */
    record Claim(String kind, String value, String owner, long revision) {
    }

    /** Takes {@code value}: true if the caller now holds it, false if someone already does. */
    boolean claim(String kind, String value, String owner);

    /** Gives {@code value} back; releasing a value nobody holds is a no-op. */
    void release(String kind, String value);

    /** Releases {@code claim} only if it is still held as that same claim; true if it was released. */
    boolean releaseIfUnchanged(Claim claim);

    /** Every claim held now, of all kinds (a snapshot). */
    List<Claim> claims();

    /** Whether other processes share this ledger (if false, the local bitmaps are the whole truth). */
    boolean shared();

    /** For stores only one process writes (SQLite, memory): every claim succeeds and nothing is recorded. */
    AllocationLedger LOCAL = new AllocationLedger() {
        @Override
        public boolean claim(String kind, String value, String owner) {
            return true;
        }

        @Override
        public void release(String kind, String value) {
        }

        @Override
        public boolean releaseIfUnchanged(Claim claim) {
            return false;
        }

        @Override
        public List<Claim> claims() {
            return List.of();
        }

        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public String toString() {
            return "AllocationLedger.LOCAL";
        }
    };
}
