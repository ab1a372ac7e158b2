package dev.sluice.template;

import java.nio.file.Path;

/** A {% snapshot name %}...{% endsnapshot %} block; body is the unrendered template between the tags. */
public record SnapshotBlock(String name, String body, Path file, int line) {
}
