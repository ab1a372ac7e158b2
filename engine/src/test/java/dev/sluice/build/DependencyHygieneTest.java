package dev.sluice.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the CycloneDX SBOM the build writes (target/bom.json, made before the tests by cyclonedx-maven-plugin)
 * against banned-dependencies.tsv: known-vulnerable versions and artifacts the engine does not use.
 */
class DependencyHygieneTest {

    private record Ban(String coordinates, String versions, String why) {
        boolean matches(String version) {
            if (versions.equals("*")) {
                return true;
            }
            return versions.startsWith("<") && compareVersions(version, versions.substring(1)) < 0;
        }
    }

    @Test
    void shippedDependenciesAvoidBannedVersions() throws IOException {
        Path bom = Path.of("target", "bom.json");
        assertTrue(Files.isRegularFile(bom), "the build writes " + bom.toAbsolutePath() + " before the tests");
        JsonNode components = new ObjectMapper().readTree(bom.toFile()).path("components");
        assertTrue(components.size() > 20, "the SBOM lists the engine's dependencies, found " + components.size());
        List<Ban> bans = bans();
        List<String> found = new ArrayList<>();
        for (JsonNode c : components) {
            String coordinates = c.path("group").asText() + ":" + c.path("name").asText();
            String version = c.path("version").asText();
            for (Ban ban : bans) {
                if (ban.coordinates().equals(coordinates) && ban.matches(version)) {
                    found.add(coordinates + ":" + version + " (" + ban.why() + ")");
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void versionComparisonOrdersNumericallyWithQualifiers() {
        assertTrue(compareVersions("1.9.4", "1.11.0") < 0);
        assertTrue(compareVersions("3.20.0", "3.18.0") > 0);
        assertTrue(compareVersions("2.13.4.2", "2.13.4") > 0);
        assertTrue(compareVersions("33.3.0-jre", "32.0.0-jre") > 0);
        assertEquals(0, compareVersions("5.4.3", "5.4.3"));
        assertTrue(new Ban("a:b", "<5.4.3", "").matches("5.4.1"));
        assertTrue(!new Ban("a:b", "<5.4.3", "").matches("5.6.5"));
    }

    private static List<Ban> bans() throws IOException {
        List<Ban> bans = new ArrayList<>();
        try (InputStream in = DependencyHygieneTest.class.getResourceAsStream("/banned-dependencies.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                bans.add(new Ban(f[0], f[1], f[2]));
            }
        }
        assertTrue(bans.size() > 10);
        return bans;
    }

    /** Compares dotted versions part by part, numerically where both parts are numbers ("-jre" ignored). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? Long.compare(Long.parseLong(p), Long.parseLong(q))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
