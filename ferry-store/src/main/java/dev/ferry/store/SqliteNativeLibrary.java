package dev.ferry.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where sqlite-jdbc loads its native library from. Left alone, the driver copies the library out of its jar into
 * java.io.tmpdir under a new name at every start and deletes the copy at a normal exit only, so every killed process
 * leaves a megabyte (and a lock file) there for good. Instead the library is copied once into a directory of Ferry's,
 * under a name with the driver's version, and the driver is pointed at it ({@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name}).
 *
 * <p>The first call in a JVM decides, since the driver loads the library once per JVM; a path the user set with
 * those properties wins.
 */
final class SqliteNativeLibrary {
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);

    private SqliteNativeLibrary() {
    }

    /**
     * Makes the driver load its library from {@code dir} (created if missing), copying it there unless a copy of this
     * driver version is there already. Nothing when the properties are set or the driver has no library for this
     * platform (it then reports that itself); when the copy fails (logged), the driver does as it would alone.
     */
    static synchronized void useDirectory(Path dir) {
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return;
        }
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        String name = "sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + LibraryLoaderUtil.getNativeLibName();
        Path library = dir.resolve(name);
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            if (!Files.isRegularFile(library)) {
                Files.createDirectories(dir);
                Path partial = Files.createTempFile(dir, name, ".partial");
                try {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot copy sqlite's native library to {} ({}); the driver extracts its own copy", library,
                    e.toString());
            return;
        }
        System.setProperty(NAME_PROPERTY, name);
        System.setProperty(PATH_PROPERTY, dir.toAbsolutePath().toString());
    }
}
