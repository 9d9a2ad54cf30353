/**
 * What the ReplicaSet and Deployment controllers share: selector matching, owner references and claiming
 * (adopt/release), pod readiness and availability, deep copies and canonical JSON of model objects. Everything but
 * {@link dev.ferry.controllers.workloadutil.OwnerPatches} is pure.
 */
package dev.ferry.controllers.workloadutil;
