package dev.sluice.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.error.EngineException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one section of target/insights.json (segments, churn) for the docs site. Operators on different
 * threads may write at once, so each update is a locked read-modify-write of the file.
 */
public final class Insights {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;

    public Insights(Path targetDir) {
        this.file = targetDir.resolve("insights.json");
    }

    /**
     * Held around the file lock: a file lock is the process's, so a second thread of the same process asking for it
     * gets OverlappingFileLockException instead of waiting (churn and segmentation operators finishing together).
     */
    private static final Object IN_PROCESS = new Object();

    public void put(String section, Object value) {
        synchronized (IN_PROCESS) {
            putLocked(section, value);
        }
    }

    private void putLocked(String section, Object value) {
        Path lock = file.resolveSibling("insights.json.lock");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                ObjectNode root = Files.isRegularFile(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
                root.set(section, JSON.valueToTree(value));
                Path tmp = file.resolveSibling("insights.json.tmp");
                JSON.writeValue(tmp.toFile(), root);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | ClassCastException e) {
            throw new EngineException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
