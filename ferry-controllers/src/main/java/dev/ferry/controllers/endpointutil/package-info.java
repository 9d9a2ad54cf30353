/**
 * What both endpoint controllers share: how a pod becomes an endpoint ({@link
 * dev.ferry.controllers.endpointutil.PodRules}), which Services a pod event concerns ({@link
 * dev.ferry.controllers.endpointutil.PodChanges}), which Services are managed ({@link
 * dev.ferry.controllers.endpointutil.ServiceRules}), the last-change trigger time ({@link
 * dev.ferry.controllers.endpointutil.TriggerTimeTracker}), and the well-known names. All pure except the small
 * thread-safe trackers.
 */
package dev.ferry.controllers.endpointutil;
