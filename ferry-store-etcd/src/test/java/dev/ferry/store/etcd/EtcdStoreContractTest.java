package dev.ferry.store.etcd;

import dev.ferry.store.KeyValueStore;
import dev.ferry.store.KeyValueStoreContractTest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real etcd: one etcd process for the class, a fresh key root per test. */
class EtcdStoreContractTest extends KeyValueStoreContractTest {

    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Override
    protected KeyValueStore newStore() {
        return new EtcdStore(etcd.clientUrl(), "/contract/" + UUID.randomUUID() + "/");
    }
}
