package dev.sluice.generate;

/** Receives load progress: {@code done} of {@code total} rows of {@code phase} (e.g. "transactions"). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (phase, done, total) -> {
    };

    void progress(String phase, long done, long total);
}
