package dev.ferry.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java heap in use, from the text of {@code jcmd PID GC.heap_info}: the sum of the {@code used} figures of the
 * generation (or region heap) lines ({@code "... total 4928K, used 1120K [...]"}), and Metaspace's {@code used}.
 */
record HeapInfo(long heapUsedKib, long metaspaceUsedKib) {
    private static final Pattern SPACE = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern META = Pattern.compile("^\\s*Metaspace\\s+used (\\d+)K");

    static HeapInfo parse(String text) {
        long heap = 0;
        long meta = 0;
        boolean any = false;
        for (String line : text.split("\n")) {
            Matcher m = SPACE.matcher(line);
            if (m.find()) {
                heap += Long.parseLong(m.group(2));
                any = true;
            }
            Matcher mm = META.matcher(line);
            if (mm.find()) {
                meta = Long.parseLong(mm.group(1));
            }
        }
        if (!any) {
            throw new IllegalArgumentException("no heap figures in: " + text);
        }
        return new HeapInfo(heap, meta);
    }
}
