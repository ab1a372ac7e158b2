package dev.sluice.compile;

import dev.sluice.project.Node;
import dev.sluice.project.NodeType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The relation name of a generic test as dbt gives it: its name, or, for names of 64 characters or more (longer than
 * PostgreSQL's identifiers), the first 30 characters of test-and-model followed by the md5 of the full name, so the
 * stored failures of two long-named tests never collide after the warehouse cuts their names.
 */
final class TestNames {
    private TestNames() {
    }

    static String identifier(Node n) {
        String name = n.name();
        if (n.type() != NodeType.TEST || n.test() == null || n.test().customName() != null || name.length() < 64) return name;
        String head = (n.testedId() != null && n.testedId().startsWith("source.") ? "source_" : "")
                + n.test().testName().replace('.', '_') + "_" + targetName(n.testedId());
        return head.substring(0, Math.min(30, head.length())) + "_" + md5(name);
    }

    /** The tested node's name as it appears in a test's name: model, seed or snapshot name; source_table for sources. */
    private static String targetName(String testedId) {
        if (testedId == null) return "";
        String[] parts = testedId.split("\\.");
        if (parts[0].equals("source") && parts.length >= 4) return parts[2] + "_" + parts[3];
        return parts.length >= 3 ? parts[2] : testedId;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
