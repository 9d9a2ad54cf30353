/**
 * The EndpointSlice controller: keeps, for every Service with a selector, the discovery.k8s.io/v1 EndpointSlices
 * (labelled {@code kubernetes.io/service-name} and {@code endpointslice.kubernetes.io/managed-by:
 * endpointslice-controller.k8s.io}, owned by the Service) that list the pods the selector picks.
 *
 * <p>Split as upstream: {@link dev.ferry.controllers.endpointslice.EndpointSliceReconciler} is pure (cached Service,
 * pods, nodes and slices in; a {@link dev.ferry.controllers.endpointslice.EndpointSlicePlan} out);
 * {@link dev.ferry.controllers.endpointslice.EndpointSliceController} is the loop (shared informers, a work queue of
 * Service keys, the stale-cache guard, retries) that writes the plan.
 */
package dev.ferry.controllers.endpointslice;
