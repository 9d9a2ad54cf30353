package dev.ferry.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends KeyValueStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected KeyValueStore newStore() {
        return SqliteStore.open(dir.resolve("ferry.db"));
    }
}
