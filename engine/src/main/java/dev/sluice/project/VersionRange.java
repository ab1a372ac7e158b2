package dev.sluice.project;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version range as dbt writes them in require-dbt-version and in packages.yml ({@code ">=1.3.0"},
 * {@code [">=1.3.0", "<2.0.0"]}, {@code "1.1.1"}): every comparator must hold.
 */
public final class VersionRange {

    /** The dbt version this engine behaves as. */
    public static final Version DBT_COMPATIBILITY = Version.parse("1.10.0");

    private static final Pattern COMPARATOR = Pattern.compile("^\\s*(>=|<=|==|=|>|<)?\\s*v?(\\S+)\\s*$");

    /** A version major.minor.patch with an optional pre-release (1.2.0-b1 sorts before 1.2.0). */
    public record Version(int major, int minor, int patch, String pre) implements Comparable<Version> {
        private static final Pattern FORM = Pattern.compile("^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:[-.]?([0-9A-Za-z.-]+))?$");

        /** @throws IllegalArgumentException when s is not a version */
        public static Version parse(String s) {
            Matcher m = FORM.matcher(s.strip());
            if (!m.matches()) throw new IllegalArgumentException("'" + s + "' is not a version (expected like 1.2.3)");
            return new Version(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), m.group(4));
        }

        public static Optional<Version> tryParse(String s) {
            try {
                return Optional.of(parse(s));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        public boolean isPrerelease() {
            return pre != null;
        }

        @Override
        public int compareTo(Version o) {
            int c = Comparator.comparingInt(Version::major).thenComparingInt(Version::minor)
                    .thenComparingInt(Version::patch).compare(this, o);
            if (c != 0) return c;
            if (pre == null) return o.pre == null ? 0 : 1;
            return o.pre == null ? -1 : pre.compareTo(o.pre);
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch + (pre == null ? "" : "-" + pre);
        }
    }

    private record Part(String op, Version version) {
        boolean allows(Version v) {
            int c = v.compareTo(version);
            return switch (op) {
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                default -> c == 0;
            };
        }
    }

    private final List<Part> parts;
    private final String text;

    private VersionRange(List<Part> parts, String text) {
        this.parts = parts;
        this.text = text;
    }

    /**
     * @param comparators each like ">=1.3.0" or "1.1.1"; a string may hold several separated by commas
     * @throws IllegalArgumentException naming the comparator that is not one
     */
    public static VersionRange parse(List<String> comparators) {
        List<Part> parts = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String c : comparators) {
            for (String piece : c.split(",")) {
                if (piece.isBlank()) continue;
                Matcher m = COMPARATOR.matcher(piece);
                if (!m.matches()) throw new IllegalArgumentException("'" + piece.strip() + "' is not a version comparator");
                String op = m.group(1) == null ? "==" : m.group(1).equals("=") ? "==" : m.group(1);
                parts.add(new Part(op, Version.parse(m.group(2))));
                texts.add(piece.strip());
            }
        }
        return new VersionRange(List.copyOf(parts), String.join(", ", texts));
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    public boolean allows(Version v) {
        return parts.stream().allMatch(p -> p.allows(v));
    }

    /** Whether some version of the line major.minor (any patch) is in the range, as dbt checks its own version. */
    public boolean allowsLine(Version line) {
        // The lowest version of the line the lower bounds allow, then check it against the upper bounds.
        Version candidate = new Version(line.major(), line.minor(), 0, null);
        for (Part p : parts) {
            Version v = p.version();
            boolean sameLine = v.major() == line.major() && v.minor() == line.minor();
            if (!sameLine) continue;
            if (p.op().equals(">=") || p.op().equals("==")) {
                if (v.compareTo(candidate) > 0) candidate = v;
            } else if (p.op().equals(">")) {
                Version next = new Version(v.major(), v.minor(), v.patch() + 1, null);
                if (next.compareTo(candidate) > 0) candidate = next;
            }
        }
        return allows(candidate);
    }

    /** The highest of the versions in the range; pre-releases only when the range names one. */
    public Optional<Version> best(List<Version> versions) {
        boolean namesPre = parts.stream().anyMatch(p -> p.version().isPrerelease());
        return versions.stream().filter(v -> namesPre || !v.isPrerelease()).filter(this::allows)
                .max(Comparator.naturalOrder());
    }

    /** A range that every version of both ranges satisfies (dbt joins the ranges packages ask for). */
    public VersionRange and(VersionRange other) {
        List<Part> all = new ArrayList<>(parts);
        all.addAll(other.parts);
        return new VersionRange(List.copyOf(all), text.isEmpty() ? other.text : other.text.isEmpty() ? text
                : text + ", " + other.text);
    }

    @Override
    public String toString() {
        return text;
    }
}
