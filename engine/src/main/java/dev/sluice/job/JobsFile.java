package dev.sluice.job;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.KnownKeys;
import dev.sluice.project.Yaml;
import dev.sluice.project.YamlRenderer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The project's jobs.yml: a list of jobs (see {@link JobSpec}). Read strictly: an unknown key, a bad cron
 * expression, a duplicate name or a value of the wrong shape is an error naming the file and line, so a typo
 * never leaves a job unscheduled without a word. Jinja in values ({{ env_var('SMTP_PASSWORD') }}) is rendered
 * with the context dbt gives YAML.
 */
public final class JobsFile {
    public static final String FILE = "jobs.yml";
    static final Set<String> COMMANDS = Set.of("build", "run", "test", "seed", "snapshot");
    private static final Set<String> TOP = Set.of("version", "jobs");
    private static final Set<String> JOB = Set.of("name", "description", "command", "select", "exclude", "selector",
            "vars", "target", "full_refresh", "threads", "tags", "schedule", "timezone", "trigger", "retries", "notify");
    private static final Set<String> TRIGGER = Set.of("source");
    private static final Set<String> NOTIFY = Set.of("on", "email", "webhook");
    private static final Set<String> EMAIL = Set.of("to", "from", "host", "port", "username", "password", "starttls");
    private static final Set<String> WEBHOOK = Set.of("url");

    private JobsFile() {
    }

    /** The jobs of projectDir/jobs.yml in file order; none when the project has no jobs.yml. */
    public static List<JobSpec> load(Path projectDir, Supplier<YamlRenderer> renderer) {
        Path file = projectDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return List.of();
        Yaml root = Yaml.load(file, Path.of(FILE));
        String text = dev.sluice.project.TextFiles.read(file, Path.of(FILE));
        if (renderer != null && (text.contains("{{") || text.contains("{%"))) root = root.rendered(p -> true, renderer.get());
        return parse(root);
    }

    static List<JobSpec> parse(Yaml root) {
        checkKeys(root, TOP, FILE);
        Map<String, JobSpec> jobs = new LinkedHashMap<>();
        for (Yaml j : root.get("jobs").items("jobs")) {
            JobSpec job = job(j);
            if (jobs.containsKey(job.name())) {
                throw new ConfigException("job '" + job.name() + "' is defined twice (first at line "
                        + jobs.get(job.name()).location().line() + ")", job.location());
            }
            jobs.put(job.name(), job);
        }
        return List.copyOf(jobs.values());
    }

    private static JobSpec job(Yaml j) {
        if (!j.isMap()) throw j.error("each job must be a mapping with a name");
        checkKeys(j, JOB, "a job");
        String name = j.get("name").string("name");
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw j.error("a job needs a name of letters, digits, '_' or '-' (got " + (name == null ? "none" : "'" + name + "'") + ")");
        }
        String command = j.get("command").string("command", "build");
        if (!COMMANDS.contains(command)) {
            throw j.get("command").error("job '" + name + "': unknown command '" + command + "' (known: " + String.join(", ", new java.util.TreeSet<>(COMMANDS)) + ")");
        }
        if (j.has("selector") && (j.has("select") || j.has("exclude"))) {
            throw j.get("selector").error("job '" + name + "': give either selector or select/exclude, not both");
        }
        ZoneId zone = ZoneId.of("UTC");
        if (j.has("timezone")) {
            try {
                zone = ZoneId.of(j.get("timezone").string("timezone"));
            } catch (DateTimeException e) {
                throw j.get("timezone").error("job '" + name + "': unknown time zone '" + j.get("timezone").string("timezone") + "'");
            }
        }
        Optional<Schedule> schedule = Optional.empty();
        if (j.has("schedule")) {
            String cron = j.get("schedule").string("schedule");
            try {
                schedule = Optional.of(Schedule.parse(cron, zone));
            } catch (IllegalArgumentException e) {
                throw j.get("schedule").error("job '" + name + "': schedule '" + cron + "' is not a cron expression of five "
                        + "fields (minute hour day-of-month month day-of-week): " + firstLine(e.getMessage()));
            }
        } else if (j.has("timezone")) {
            throw j.get("timezone").error("job '" + name + "': timezone is given but no schedule");
        }
        Optional<JobSpec.Trigger> trigger = Optional.empty();
        if (j.has("trigger")) {
            Yaml t = j.get("trigger");
            if (!t.isMap()) throw t.error("job '" + name + "': trigger must be a mapping such as {source: shop.orders}");
            checkKeys(t, TRIGGER, "a trigger");
            String src = t.get("source").string("source");
            if (src == null || !src.matches("[^.\\s]+\\.[^.\\s]+")) {
                throw t.error("job '" + name + "': trigger needs source: SOURCE_NAME.TABLE_NAME");
            }
            int dot = src.indexOf('.');
            trigger = Optional.of(new JobSpec.Trigger(src.substring(0, dot), src.substring(dot + 1), t.location()));
        }
        int retries = integer(j.get("retries"), "retries", 0, name);
        Integer threads = j.has("threads") ? integer(j.get("threads"), "threads", 1, name) : null;
        Map<String, Object> vars = new LinkedHashMap<>();
        j.get("vars").entries("vars").forEach((k, v) -> vars.put(k, v.value()));
        Map<String, String> tags = new LinkedHashMap<>();
        j.get("tags").entries("tags").forEach((k, v) -> {
            if (!v.isScalar()) throw v.error("job '" + name + "': tag '" + k + "' must be a single value");
            tags.put(k, v.string("tag"));
        });
        boolean fullRefresh = j.has("full_refresh") && Boolean.TRUE.equals(bool(j.get("full_refresh"), "full_refresh", name));
        return new JobSpec(name, j.get("description").string("description", ""), command, strings(j.get("select"), "select"),
                strings(j.get("exclude"), "exclude"), j.get("selector").string("selector"), vars,
                j.get("target").string("target"), fullRefresh, threads, tags, schedule, trigger, retries,
                notifications(j.get("notify"), name), j.location());
    }

    private static Notifications notifications(Yaml n, String job) {
        if (n.isNull()) return Notifications.NONE;
        if (!n.isMap()) throw n.error("job '" + job + "': notify must be a mapping with on, email and/or webhook");
        checkKeys(n, NOTIFY, "notify");
        Set<Notifications.Outcome> on = EnumSet.noneOf(Notifications.Outcome.class);
        List<String> words = n.has("on") ? strings(n.get("on"), "on") : List.of("failure");
        for (String w : words) {
            try {
                on.add(Notifications.Outcome.valueOf(w.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw n.get("on").error("job '" + job + "': notify on '" + w + "' is not an outcome (known: failure, warning, success)");
            }
        }
        Optional<Notifications.Email> email = Optional.empty();
        if (n.has("email")) {
            Yaml e = n.get("email");
            if (!e.isMap()) throw e.error("job '" + job + "': email must be a mapping with to, from and host");
            checkKeys(e, EMAIL, "email");
            List<String> to = strings(e.get("to"), "to");
            if (to.isEmpty()) throw e.error("job '" + job + "': email needs to: one or more addresses");
            String from = e.get("from").string("from");
            String host = e.get("host").string("host");
            if (from == null || host == null) throw e.error("job '" + job + "': email needs from: and host: (the SMTP server)");
            int port = n.get("email").has("port") ? integer(e.get("port"), "port", 1, job) : 25;
            email = Optional.of(new Notifications.Email(to, from, host, port, e.get("username").string("username"),
                    e.get("password").string("password"), e.has("starttls") && Boolean.TRUE.equals(bool(e.get("starttls"), "starttls", job))));
        }
        Optional<Notifications.Webhook> webhook = Optional.empty();
        if (n.has("webhook")) {
            Yaml w = n.get("webhook");
            if (!w.isMap()) throw w.error("job '" + job + "': webhook must be a mapping with url");
            checkKeys(w, WEBHOOK, "webhook");
            String url = w.get("url").string("url");
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                // The URL usually comes from env_var(): never echo it, it is a secret.
                throw w.error("job '" + job + "': webhook url must be an http(s) URL (is its environment variable set?)");
            }
            webhook = Optional.of(new Notifications.Webhook(url));
        }
        if (email.isEmpty() && webhook.isEmpty()) throw n.error("job '" + job + "': notify needs email and/or webhook");
        return new Notifications(on, email, webhook);
    }

    private static void checkKeys(Yaml map, Set<String> known, String what) {
        for (Map.Entry<String, SourceLocation> k : map.keyLocations().entrySet()) {
            if (!known.contains(k.getKey())) {
                throw new ConfigException("unknown key '" + k.getKey() + "' in " + what + KnownKeys.didYouMean(k.getKey(), known)
                        + " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")", k.getValue());
            }
        }
    }

    private static List<String> strings(Yaml y, String what) {
        List<String> out = new ArrayList<>();
        if (y.isNull()) return out;
        if (y.isScalar()) {
            for (String s : y.string(what).trim().split("\\s+")) if (!s.isEmpty()) out.add(s);
            return out;
        }
        for (Yaml item : y.items(what)) {
            if (!item.isScalar()) throw item.error(what + " must be a list of strings");
            out.add(item.string(what));
        }
        return out;
    }

    private static int integer(Yaml y, String what, int min, String job) {
        if (y.isNull()) return min;
        Object v = y.value();
        if (!(v instanceof Long l) || l < min || l > Integer.MAX_VALUE) {
            throw y.error("job '" + job + "': " + what + " must be a whole number of at least " + min + " (got " + v + ")");
        }
        return l.intValue();
    }

    private static Boolean bool(Yaml y, String what, String job) {
        Object v = y.value();
        if (!(v instanceof Boolean b)) throw y.error("job '" + job + "': " + what + " must be true or false (got " + v + ")");
        return b;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
