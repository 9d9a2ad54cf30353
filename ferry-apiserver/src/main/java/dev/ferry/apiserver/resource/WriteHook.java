package dev.ferry.apiserver.resource;

import tools.jackson.databind.node.ObjectNode;

/**
 * Side effects that must commit or roll back with a write: allocating a Service's cluster IP and node ports, say.
 * The registry calls a {@code before*} method after validation and before the store write, then exactly one of
 * {@link Reservation#commit()} (the write was stored) or {@link Reservation#release()} (it failed or was a dry run).
 * A {@code before*} method may fill fields (the allocated IP) and throws {@link dev.ferry.apiserver.ApiException}
 * for user-visible failures (422 "already allocated", 500 "range is full"), having released what it took.
 */
public interface WriteHook {

    Reservation beforeCreate(ObjectNode obj);

    Reservation beforeUpdate(ObjectNode obj, ObjectNode old);

    /** Called once the object is really gone from the store (after finalizers). */
    Reservation beforeDelete(ObjectNode old);

    /** The outcome half of a hook call. */
    interface Reservation {
        Reservation NONE = new Reservation() {
            @Override
            public void commit() {
            }

            @Override
            public void release() {
            }
        };

        void commit();

        void release();
    }
}
