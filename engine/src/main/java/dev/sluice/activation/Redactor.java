package dev.sluice.activation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Masks secrets (header values, the url's query) in any text an export logs or reports. */
public final class Redactor {
    private final List<String> secrets;

    public Redactor(List<String> secrets) {
        List<String> s = new ArrayList<>();
        for (String x : secrets) {
            if (x == null || x.isBlank()) continue;
            s.add(x);
            // "Bearer <token>": the token alone is masked too, in case something echoes just that.
            for (String part : x.strip().split("\\s+")) if (part.length() >= 8 && !part.equals(x)) s.add(part);
        }
        // Longest first, so a secret that contains another is masked whole.
        s.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(s);
    }

    public String scrub(String text) {
        if (text == null) return null;
        String out = text;
        for (String s : secrets) out = out.replace(s, "***");
        return out;
    }
}
