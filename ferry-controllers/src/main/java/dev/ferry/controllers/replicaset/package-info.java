/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset).
 *
 * <p><b>Data flow.</b> Pod and ReplicaSet events from the shared informers queue the key of the set concerned (the
 * pod's controller, or for an orphan every set of its namespace whose selector matches). A sync reads the set and
 * its namespace's pods from the caches; {@link dev.ferry.controllers.replicaset.ReplicaSetPlanner} claims pods
 * (adopt, release) and computes how many to create or which to delete
 * ({@link dev.ferry.controllers.replicaset.ScaleDownOrder}); {@link dev.ferry.controllers.replicaset.ReplicaSetStatuses}
 * computes the status; {@link dev.ferry.controllers.replicaset.ReplicaSetController} writes, creating in slow-start
 * batches and at most the burst per sync.
 *
 * <p><b>Stale caches.</b> Writes made by one sync reach the cache later. After creating or deleting pods a set is
 * not managed again until those changes have been observed ({@link dev.ferry.controllers.replicaset.PodExpectations},
 * five minutes at most), and adoption and pod creation first re-read the set, so a deleted set gets no new pods.
 */
package dev.ferry.controllers.replicaset;
