package dev.ferry.agent.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reading positions in a container log file. */
final class LogFiles {
    private LogFiles() {
    }

    /**
     * The offset where the last {@code lines} lines of {@code file} begin (a final line without newline counts as a
     * line); 0 when the file has fewer lines or does not exist.
     */
    static long tailOffset(Path file, long lines) throws IOException {
        if (lines <= 0) {
            return size(file);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = size;
            long newlines = 0;
            boolean skipLast = true;
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (pos > 0) {
                int n = (int) Math.min(buf.capacity(), pos);
                pos -= n;
                buf.clear().limit(n);
                ch.read(buf, pos);
                for (int i = n - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n') {
                        if (skipLast && pos + i == size - 1) {
                            continue;
                        }
                        if (++newlines == lines) {
                            return pos + i + 1;
                        }
                    }
                }
                skipLast = false;
            }
            return 0;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    static long size(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
