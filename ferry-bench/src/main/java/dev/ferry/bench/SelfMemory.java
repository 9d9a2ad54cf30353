package dev.ferry.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * This JVM's memory now: Java heap in use after two full collections ({@link MemoryMXBean}), non-heap in use
 * (metaspace, code cache), resident set size ({@code /proc/self/status} VmRSS), and open file descriptors.
 */
record SelfMemory(long heapUsedKib, long heapCommittedKib, long nonHeapUsedKib, long rssKib, long openFiles) {

    static SelfMemory measure() {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        bean.gc();
        bean.gc();
        var heap = bean.getHeapMemoryUsage();
        return new SelfMemory(heap.getUsed() / 1024, heap.getCommitted() / 1024,
                bean.getNonHeapMemoryUsage().getUsed() / 1024, ProcStatus.rssKib(ProcessHandle.current().pid()),
                openFilesNow());
    }

    /** Open file descriptors of this process, or -1 when the platform does not tell. */
    static long openFilesNow() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getOpenFileDescriptorCount() : -1;
    }

    /** The soft open-file limit of this process, or -1 when the platform does not tell. */
    static long openFileLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? u.getMaxFileDescriptorCount() : -1;
    }

    static String mib(long kib) {
        return Report.f(kib / 1024.0);
    }
}
