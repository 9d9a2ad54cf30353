/**
 * The LoadBalancer address allocator (k3s ServiceLB's and MetalLB's controller role): {@link
 * dev.ferry.controllers.loadbalancer.LbAddressPool} (the assignable addresses of a CIDR), {@link
 * dev.ferry.controllers.loadbalancer.LbAllocations} (which Service holds which address, rebuilt from Service statuses
 * at start), {@link dev.ferry.controllers.loadbalancer.LbPlan} (per Service: address to give back, to take, ingress to
 * write, failure) are pure; {@link dev.ferry.controllers.loadbalancer.ServiceLbController} is the informer, queue and
 * API-write plumbing. The proxy serves what {@code status.loadBalancer.ingress} shows; it does not read this package.
 */
package dev.ferry.controllers.loadbalancer;
