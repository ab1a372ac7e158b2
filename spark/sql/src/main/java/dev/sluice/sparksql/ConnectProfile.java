package dev.sluice.sparksql;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Target;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reading a Spark Connect target's profile keys, the same way for type spark and type databricks. */
public final class ConnectProfile {
    private ConnectProfile() {
    }

    public static SourceLocation at(Target target) {
        return target.source() == null ? null : SourceLocation.of(target.source());
    }

    /** A key the adapter does not read is an error naming it: a misspelt use_ssl would otherwise send in clear. */
    public static void onlyKeys(Target target, String kind, Set<String> keys) {
        Set<String> unknown = new TreeSet<>(target.settings().keySet());
        unknown.removeAll(keys);
        if (!unknown.isEmpty()) {
            throw new ConfigException("target '" + target.name() + "' (" + kind + ") has keys it does not read: "
                    + unknown + "; it reads " + new TreeSet<>(keys), at(target));
        }
    }

    public static String required(Target target, String kind, String key) {
        String v = target.setting(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException("target '" + target.name() + "' (" + kind + ") needs a '" + key + "'", at(target));
        }
        return v.strip();
    }

    /** The profile's port, or the default. */
    public static int port(Target target, int otherwise) {
        if (target.setting("port") == null) return otherwise;
        try {
            return Integer.parseInt(target.setting("port").trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("target '" + target.name() + "': port must be a number, got '" + target.setting("port") + "'", at(target));
        }
    }

    /** A boolean setting; anything but true or false is an error rather than a silent false. */
    public static boolean flag(Target target, String key, boolean otherwise) {
        String v = target.setting(key);
        if (v == null) return otherwise;
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException("target '" + target.name() + "': " + key + " must be true or false, got '" + v + "'", at(target));
        };
    }

    /** The bound on a session's plan strings, unless server_side_parameters sets spark.sql.maxPlanStringLength. */
    public static final String PLAN_STRING_LENGTH = "16k";
    private static final String PLAN_STRING_KEY = "spark.sql.maxPlanStringLength";

    /**
     * The settings a session opens with: server_side_parameters, and a bound on plan strings. The engine's appends
     * carry their rows as a literal of up to 16 MB (SparkSqlSession.appendAsJson); the driver keeps each
     * statement's plan strings for its SQL history, and in full by default: 55 appends at 50,000 customers took
     * 1.3 GB of a 2 GB server's heap. Spark's own advice for that is a bound like this.
     */
    public static Map<String, String> sessionConf(Target target) {
        Map<String, String> conf = serverSideParameters(target);
        conf.putIfAbsent(PLAN_STRING_KEY, PLAN_STRING_LENGTH);
        return conf;
    }

    /**
     * The settings of {@link #sessionConf} that the engine adds itself rather than the profile: a server that refuses
     * one of them (a Databricks cluster allows only some Spark settings per session) gets a session without it.
     */
    public static java.util.Set<String> engineDefaults(Target target) {
        return serverSideParameters(target).containsKey(PLAN_STRING_KEY) ? java.util.Set.of() : java.util.Set.of(PLAN_STRING_KEY);
    }

    /** Spark settings for the server-side session, from the profile's server_side_parameters mapping. */

    public static Map<String, String> serverSideParameters(Target target) {
        Map<String, String> out = new LinkedHashMap<>();
        Object conf = target.settings().get("server_side_parameters");
        if (conf == null) return out;
        if (!(conf instanceof Map<?, ?> m)) {
            throw new ConfigException("target '" + target.name() + "': server_side_parameters must be a mapping of Spark settings", at(target));
        }
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
