package dev.sluice.ml;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class LearnersTest {

    /** The fingerprint as it was first defined: one digest update per id, per value and per label. */
    private static String valueByValue(FeatureFrame frame) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(String.join(",", frame.featureNames()).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < frame.rows(); i++) {
            md.update(String.valueOf(frame.id(i)).getBytes(StandardCharsets.UTF_8));
            for (int j = 0; j < frame.width(); j++) md.update(ByteBuffer.allocate(8).putDouble(frame.value(i, j)).array());
            if (frame.hasLabel()) md.update((byte) frame.label(i));
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    private static FeatureFrame frame(int rows, int width, boolean labelled, String longId) {
        Random rnd = new Random(rows * 31L + width);
        List<String> features = new ArrayList<>();
        for (int j = 0; j < width; j++) features.add("f" + j);
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", longId != null && i == rows / 2 ? longId : "c" + i);
            for (String f : features) row.put(f, rnd.nextGaussian());
            if (labelled) row.put("y", rnd.nextInt(2));
            data.add(row);
        }
        return FeatureFrame.fromRows(data, "id", features, labelled ? "y" : null);
    }

    @Test
    void bufferedFingerprintIsTheValueByValueDigest() throws Exception {
        // Rows that fill the 64 KiB buffer unevenly, a row wider than it, and an id longer than it: stored model
        // versions and registry fingerprints must not change with how the bytes reach the digest.
        String longId = "x".repeat(70_000);
        for (FeatureFrame f : List.of(frame(5_000, 21, true, null), frame(3_000, 11, false, null),
                frame(40, 9_000, true, null), frame(50, 3, true, longId), frame(1, 1, false, null))) {
            assertEquals(valueByValue(f), Learners.fingerprint(f), f.rows() + " x " + f.width());
        }
        assertNotEquals(Learners.fingerprint(frame(50, 3, true, null)), Learners.fingerprint(frame(50, 3, true, longId)));
    }
}
