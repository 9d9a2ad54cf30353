/**
 * What the ReplicaSet and Deployment controllers share: selector matching, owner references and claiming
 * (adopt/release), pod readiness and availability, deep copies and canonical JSON of model objects, and an event
 * recorder. Everything but {@link dev.ferry.controllers.workloadutil.OwnerPatches} and
 * {@link dev.ferry.controllers.workloadutil.EventRecorder} is pure.
 */
package dev.ferry.controllers.workloadutil;
