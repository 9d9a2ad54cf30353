package dev.ferry.apiserver.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the garbage collector does with a dependent, from the state of each owner its ownerReferences name: upstream's
 * {@code attemptToDeleteItem} after {@code classifyReferences} (pkg/controller/garbagecollector/garbagecollector.go).
 * Pure: the caller looks the owners up (in the store, never in a possibly stale cache) and carries the action out.
 */
final class DependentVerdict {
    private DependentVerdict() {
    }

    /** An owner reference, classified. */
    enum OwnerState {
        /** The owner exists with the referenced uid and is not waiting for its dependents. */
        SOLID,
        /** No object of that kind and name, or one with another uid (another incarnation). */
        DANGLING,
        /** The owner is being deleted in the foreground: it has a deletionTimestamp and {@code foregroundDeletion}. */
        WAITING_FOR_DEPENDENTS
    }

    sealed interface Action {
    }

    /** Nothing to do: every owner is solid (or the dependent has no owners). */
    record Keep() implements Action {
    }

    /** Some owner is solid: only the references with these uids go (a patch of the dependent). */
    record RemoveReferences(List<String> uids) implements Action {
    }

    /**
     * No owner is solid: the dependent is deleted with {@code policy}; with {@code unblockFirst}, its references'
     * {@code blockOwnerDeletion} is set to false first (upstream's cycle breaker for foreground deletions).
     */
    record Delete(String policy, boolean unblockFirst) implements Action {
    }

    /**
     * @param owners                         the dependent's references by owner uid, in reference order
     * @param finalizers                     the dependent's metadata.finalizers
     * @param hasDependents                  whether the dependent owns objects itself
     * @param aDependentIsDeletingDependents whether one of those is itself being deleted in the foreground
     */
    static Action decide(Map<String, OwnerState> owners, List<String> finalizers, boolean hasDependents,
            boolean aDependentIsDeletingDependents) {
        if (owners.isEmpty()) {
            return new Keep();
        }
        List<String> solid = new ArrayList<>();
        List<String> dangling = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        owners.forEach((uid, state) -> (switch (state) {
            case SOLID -> solid;
            case DANGLING -> dangling;
            case WAITING_FOR_DEPENDENTS -> waiting;
        }).add(uid));
        if (!solid.isEmpty()) {
            if (dangling.isEmpty() && waiting.isEmpty()) {
                return new Keep();
            }
            // references to owners waiting for their dependents go too, or those owners would wait forever
            List<String> gone = new ArrayList<>(dangling);
            gone.addAll(waiting);
            return new RemoveReferences(List.copyOf(gone));
        }
        if (!waiting.isEmpty() && hasDependents) {
            // deleting this one in the foreground lets the waiting owner's deletion finish after ours
            return new Delete("Foreground", aDependentIsDeletingDependents);
        }
        if (finalizers.contains("orphan")) {
            return new Delete("Orphan", false);
        }
        if (finalizers.contains("foregroundDeletion")) {
            return new Delete("Foreground", false);
        }
        return new Delete("Background", false);
    }
}
