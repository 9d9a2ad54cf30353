package dev.ferry.store;

class MemoryStoreContractTest extends KeyValueStoreContractTest {
    @Override
    protected KeyValueStore newStore() {
        return new MemoryStore();
    }
}
