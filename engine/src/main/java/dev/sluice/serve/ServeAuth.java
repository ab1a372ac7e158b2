package dev.sluice.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.sluice.error.ConfigException;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the server. Bound to the loopback interface it is open to the local user, as `docs serve` is;
 * bound to any other address it refuses to start without a token (SLUICE_SERVE_TOKEN) or a user and password
 * (SLUICE_SERVE_USER, SLUICE_SERVE_PASSWORD), and then every request but the health check must carry them: a
 * bearer token, the token cookie set by visiting /?token=..., or basic auth.
 */
public record ServeAuth(String token, String user, String password, boolean required) {
    public static final String COOKIE = "sluice_token";

    /** @throws ConfigException when the address is not loopback and no credentials are set */
    public static ServeAuth forBinding(InetAddress address, Map<String, String> env) {
        String token = blankToNull(env.get("SLUICE_SERVE_TOKEN"));
        String user = blankToNull(env.get("SLUICE_SERVE_USER"));
        String password = blankToNull(env.get("SLUICE_SERVE_PASSWORD"));
        if ((user == null) != (password == null)) {
            throw new ConfigException("set both SLUICE_SERVE_USER and SLUICE_SERVE_PASSWORD, or neither");
        }
        boolean credentials = token != null || user != null;
        if (!address.isLoopbackAddress() && !credentials) {
            throw new ConfigException("serving on " + address.getHostAddress() + " (not the loopback interface) needs "
                    + "SLUICE_SERVE_TOKEN or SLUICE_SERVE_USER and SLUICE_SERVE_PASSWORD in the environment");
        }
        return new ServeAuth(token, user, password, credentials);
    }

    /** The name of whoever the request authenticates as, or empty when it carries no valid credentials. */
    public Optional<String> principal(HttpExchange ex) {
        if (!required) return Optional.of("local");
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && token != null && header.startsWith("Bearer ") && same(header.substring(7).strip(), token)) {
            return Optional.of("token");
        }
        if (header != null && user != null && header.startsWith("Basic ")) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0 && same(pair.substring(0, colon), user) && same(pair.substring(colon + 1), password)) {
                    return Optional.of(user);
                }
            } catch (IllegalArgumentException badBase64) {
                return Optional.empty();
            }
        }
        if (token != null) {
            String cookies = ex.getRequestHeaders().getFirst("Cookie");
            if (cookies != null) {
                for (String c : cookies.split(";")) {
                    String t = c.strip();
                    if (t.startsWith(COOKIE + "=") && same(t.substring(COOKIE.length() + 1), token)) return Optional.of("token");
                }
            }
        }
        return Optional.empty();
    }

    /** Constant-time comparison, so the time of a refusal says nothing about the secret. */
    static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
