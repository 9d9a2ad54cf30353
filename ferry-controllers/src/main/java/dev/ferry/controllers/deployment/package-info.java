/**
 * The Deployment controller (upstream pkg/controller/deployment).
 *
 * <p><b>Data flow.</b> Deployment, ReplicaSet and (for Recreate) pod deletion events queue the deployment's key. A
 * sync reads the deployment and its namespace's ReplicaSets and pods from the caches;
 * {@link dev.ferry.controllers.deployment.DeploymentPlanner} runs upstream's sync against working copies and returns
 * a {@link dev.ferry.controllers.deployment.DeploymentPlan} of writes;
 * {@link dev.ferry.controllers.deployment.DeploymentController} applies it.
 *
 * <p><b>Revisions.</b> A ReplicaSet belongs to one pod template: its name and {@code pod-template-hash} label come
 * from {@link dev.ferry.controllers.deployment.PodTemplateHash}, and its {@code deployment.kubernetes.io/revision}
 * annotation records when it was last the new set. Restoring an earlier template ({@code kubectl rollout undo}
 * patches the deployment's template from the old set) makes that set new again under the next revision, which is
 * what {@code kubectl rollout history/undo} rely on.
 *
 * <p><b>Status.</b> {@link dev.ferry.controllers.deployment.DeploymentStatuses} computes counts and the Available,
 * Progressing and ReplicaFailure conditions with upstream's reasons and messages, read by
 * {@code kubectl rollout status} and {@code kubectl wait --for=condition=Available}.
 */
package dev.ferry.controllers.deployment;
