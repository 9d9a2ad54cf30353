/**
 * The legacy v1 Endpoints controller: one Endpoints object per Service with a selector, named after it, capped at
 * 1000 addresses. {@link dev.ferry.controllers.endpoints.EndpointsReconciler} (with
 * {@link dev.ferry.controllers.endpoints.Subsets}) is pure; {@link dev.ferry.controllers.endpoints.EndpointsController}
 * is the loop that writes its {@link dev.ferry.controllers.endpoints.EndpointsPlan}.
 */
package dev.ferry.controllers.endpoints;
