package dev.sluice.project;

import java.nio.file.Path;

/**
 * Where a {% docs %} block was found, for its entry in manifest.json's docs.
 *
 * @param packageName the package whose files hold it (the root project's name for its own)
 * @param file        the .md file, relative to the project folder
 */
public record DocBlock(String name, String packageName, Path file) {
    public String uniqueId() {
        return "doc." + packageName + "." + name;
    }
}
