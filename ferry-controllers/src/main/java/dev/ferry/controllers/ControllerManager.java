package dev.ferry.controllers;

import dev.ferry.client.SharedInformers;
import dev.ferry.controllers.deployment.DeploymentController;
import dev.ferry.controllers.endpoints.EndpointsController;
import dev.ferry.controllers.endpointslice.EndpointSliceController;
import dev.ferry.controllers.loadbalancer.LbAddressPool;
import dev.ferry.controllers.loadbalancer.ServiceLbController;
import dev.ferry.controllers.nodeipam.CidrSet;
import dev.ferry.controllers.nodeipam.NodeIpamController;
import dev.ferry.controllers.nodelifecycle.NodeLifecycleController;
import dev.ferry.controllers.replicaset.ReplicaSetController;
import dev.ferry.controllers.scheduler.Scheduler;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every controller of the control plane (the kube-controller-manager and kube-scheduler of Ferry), sharing one set
 * of informers. Owns the client it is given: {@link #close} stops the controllers, the informers and the client.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);
    private final KubernetesClient client;
    private final SharedInformers informers;
    private final List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param podCidr                the cluster pod CIDR nodes get a subnet of
     * @param maxEndpointsPerSlice   endpoints per EndpointSlice (upstream default 100, at most 1000)
     * @param nodeMonitorGracePeriod how long a node may go without renewing its Lease before it is NotReady
     * @param nodeCidrMaskSize       prefix length of each node's pod CIDR (kube-controller-manager's
     *                               --node-cidr-mask-size, default 24)
     * @param lbPool                 the IPv4 CIDR LoadBalancer Services get their address from ({@code --lb-pool},
     *                               default {@value ServiceLbController.Options#DEFAULT_POOL})
     */
    public record Config(String podCidr, int maxEndpointsPerSlice, Duration nodeMonitorGracePeriod,
            int nodeCidrMaskSize, String lbPool) {
        public static Config defaults() {
            return new Config("127.244.0.0/16", 100, Duration.ofSeconds(40));
        }

        /** Nodes get a /24 each; the default LoadBalancer pool. */
        public Config(String podCidr, int maxEndpointsPerSlice, Duration nodeMonitorGracePeriod) {
            this(podCidr, maxEndpointsPerSlice, nodeMonitorGracePeriod, 24);
        }

        /** The default LoadBalancer pool. */
        public Config(String podCidr, int maxEndpointsPerSlice, Duration nodeMonitorGracePeriod,
                int nodeCidrMaskSize) {
            this(podCidr, maxEndpointsPerSlice, nodeMonitorGracePeriod, nodeCidrMaskSize,
                    ServiceLbController.Options.DEFAULT_POOL);
        }

        /** A copy with another LoadBalancer pool. */
        public Config withLbPool(String pool) {
            return new Config(podCidr, maxEndpointsPerSlice, nodeMonitorGracePeriod, nodeCidrMaskSize, pool);
        }

        public Config {
            if (maxEndpointsPerSlice < 1 || maxEndpointsPerSlice > 1000) {
                throw new IllegalArgumentException("--max-endpoints-per-slice must be between 1 and 1000, got "
                        + maxEndpointsPerSlice);
            }
            if (nodeMonitorGracePeriod.isNegative() || nodeMonitorGracePeriod.isZero()) {
                throw new IllegalArgumentException("--node-monitor-grace-period must be positive");
            }
            try {
                new CidrSet(podCidr, nodeCidrMaskSize);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--cluster-cidr " + podCidr + " with --node-cidr-mask-size "
                        + nodeCidrMaskSize + ": " + e.getMessage());
            }
            try {
                lbPool = LbAddressPool.parse(lbPool).cidr();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lb-pool: " + e.getMessage());
            }
        }
    }

    private ControllerManager(KubernetesClient client) {
        this.client = client;
        this.informers = new SharedInformers(client);
    }

    /** Starts every controller; returns once their caches are synced. */
    public static ControllerManager start(KubernetesClient client, Config config, Clock clock) {
        long t0 = System.nanoTime();
        ControllerManager m = new ControllerManager(client);
        try {
            SharedInformers i = m.informers;
            i.prefetch(Node.class, Lease.class, Pod.class, Service.class, EndpointSlice.class, Endpoints.class,
                    ReplicaSet.class, Deployment.class);
            m.running.add(NodeIpamController.start(i,
                    new NodeIpamController.Options(config.podCidr(), config.nodeCidrMaskSize()), clock));
            m.running.add(NodeLifecycleController.start(i, new NodeLifecycleController.Options(
                    config.nodeMonitorGracePeriod(), NodeLifecycleController.Options.defaults().monitorPeriod()),
                    clock));
            m.running.add(Scheduler.start(i, Scheduler.Options.defaults(), clock));
            m.running.add(EndpointSliceController.start(i, new EndpointSliceController.Options(
                    config.maxEndpointsPerSlice(), EndpointSliceController.Options.defaults().workers()), clock));
            m.running.add(EndpointsController.start(i, EndpointsController.Options.defaults(), clock));
            m.running.add(ReplicaSetController.start(i, ReplicaSetController.Options.defaults(), clock));
            m.running.add(DeploymentController.start(i, DeploymentController.Options.defaults(), clock));
            m.running.add(ServiceLbController.start(i, new ServiceLbController.Options(config.lbPool()), clock));
            log.info("controllers running ({} ms)", (System.nanoTime() - t0) / 1_000_000);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> copy;
        synchronized (running) {
            copy = new ArrayList<>(running);
            running.clear();
        }
        Collections.reverse(copy);
        for (AutoCloseable c : copy) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        informers.close();
        client.close();
    }
}
