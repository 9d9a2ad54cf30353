package dev.ferry.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * maxSurge and maxUnavailable as numbers of pods (deploymentutil.ResolveFenceposts, MaxSurge, MaxUnavailable):
 * percentages of {@code spec.replicas}, surge rounded up and unavailable rounded down; if both come to 0,
 * unavailable is 1 so a rollout can progress. Recreate has neither. Pure.
 */
public final class Fenceposts {
    public static final String ROLLING_UPDATE = "RollingUpdate";
    public static final String RECREATE = "Recreate";

    private Fenceposts() {
    }

    /** {@code value} (int, or "N%" of {@code total}) as a number of pods. */
    public static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal() == null ? "" : value.getStrVal();
        if (!s.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        int pct;
        try {
            pct = Integer.parseInt(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + s + "\": " + e.getMessage(), e);
        }
        double v = (double) pct * total / 100;
        return (int) (roundUp ? Math.ceil(v) : Math.floor(v));
    }

    public static boolean isRollingUpdate(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                || ROLLING_UPDATE.equals(d.getSpec().getStrategy().getType());
    }

    /** [maxSurge, maxUnavailable] for {@code desired} replicas. */
    static int[] resolve(Deployment d, int desired) {
        RollingUpdateDeployment ru = d.getSpec().getStrategy() == null ? null
                : d.getSpec().getStrategy().getRollingUpdate();
        IntOrString surgeValue = ru == null || ru.getMaxSurge() == null ? new IntOrString("25%") : ru.getMaxSurge();
        IntOrString unavailableValue = ru == null || ru.getMaxUnavailable() == null ? new IntOrString("25%")
                : ru.getMaxUnavailable();
        int surge = scaled(surgeValue, desired, true);
        int unavailable = scaled(unavailableValue, desired, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[] {surge, unavailable};
    }

    public static int maxSurge(Deployment d) {
        return isRollingUpdate(d) ? resolve(d, Deployments.replicas(d))[0] : 0;
    }

    public static int maxUnavailable(Deployment d) {
        int replicas = Deployments.replicas(d);
        if (!isRollingUpdate(d) || replicas == 0) {
            return 0;
        }
        return Math.min(resolve(d, replicas)[1], replicas);
    }
}
