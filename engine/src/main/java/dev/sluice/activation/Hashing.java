package dev.sluice.activation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 of identifiers normalized the way ad platforms (Meta, Google, TikTok customer lists) match them.
 * <ul>
 *   <li>e-mail: surrounding whitespace trimmed, lower-cased;</li>
 *   <li>phone: every non-digit dropped (no '+'); a 10-digit number is taken as US/Canada and gets the
 *       country code 1 in front; other lengths are assumed to carry their country code already.</li>
 * </ul>
 * A value that is empty after normalization hashes to null, so blanks never match each other.
 */
public final class Hashing {
    private Hashing() {
    }

    public static String normalizeEmail(String raw) {
        return raw == null ? null : raw.strip().toLowerCase(Locale.ROOT);
    }

    public static String normalizePhone(String raw) {
        if (raw == null) return null;
        StringBuilder digits = new StringBuilder();
        raw.chars().filter(c -> c >= '0' && c <= '9').forEach(c -> digits.append((char) c));
        return digits.length() == 10 ? "1" + digits : digits.toString();
    }

    /** Phone-like column names get phone normalization, every other hashed column e-mail normalization. */
    public static boolean isPhoneColumn(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        return c.contains("phone") || c.contains("mobile") || c.contains("msisdn");
    }

    /** The hashed value of one cell of column, or null when there is nothing to hash. */
    public static String hashIdentifier(String column, Object value) {
        if (value == null) return null;
        String s = value.toString();
        String normalized = isPhoneColumn(column) ? normalizePhone(s) : normalizeEmail(s);
        return normalized.isEmpty() ? null : sha256Hex(normalized);
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
