package dev.ferry.apiserver.storage;

/** Options every write carries: {@code dryRun=All} and the field manager's name. */
public record WriteOptions(boolean dryRun, String fieldManager) {
    public static final WriteOptions DEFAULT = new WriteOptions(false, "");
}
