package dev.sluice.template;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's {@code modules}: the parts of Python's datetime, re, itertools and pytz that dbt packages call.
 * Anything else is a compile error naming the missing attribute, never an empty string.
 */
final class Modules {

    private Modules() {
    }

    /** A module or class: named members, and for a class a constructor. */
    static class Module implements JinjaObject {
        private final String name;
        final Map<String, Object> members = new LinkedHashMap<>();

        Module(String name) {
            this.name = name;
        }

        Module fn(String member, TemplateFunction f) {
            members.put(member, f);
            return this;
        }

        Module value(String member, Object v) {
            members.put(member, v);
            return this;
        }

        @Override
        public Object attribute(String attr) {
            return members.containsKey(attr) ? members.get(attr) : MISSING;
        }

        @Override
        public String jinjaName() {
            return name;
        }

        @Override
        public String toString() {
            return "<module '" + name + "'>";
        }
    }

    /** A class: callable as its constructor. */
    static final class PyClass extends Module implements TemplateFunction {
        private final TemplateFunction constructor;

        PyClass(String name, TemplateFunction constructor) {
            super(name);
            this.constructor = constructor;
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            return constructor.call(args, kwargs);
        }
    }

    static final JinjaObject MODULES = build();

    private static JinjaObject build() {
        return new Module("modules")
                .value("datetime", datetime())
                .value("re", re())
                .value("itertools", itertools())
                .value("pytz", pytz());
    }

    private static int i(Object o) {
        return Values.toNumber(o, 0).intValue();
    }

    private static Object arg(List<Object> a, Map<String, Object> kw, int k, String name, Object fallback) {
        if (k < a.size()) return a.get(k);
        return kw.getOrDefault(name, fallback);
    }

    // ---- datetime ----------------------------------------------------------------------------

    private static Module datetime() {
        PyClass dt = new PyClass("datetime", (a, kw) -> {
            LocalDateTime v = LocalDateTime.of(i(arg(a, kw, 0, "year", 1)), i(arg(a, kw, 1, "month", 1)),
                    i(arg(a, kw, 2, "day", 1)), i(arg(a, kw, 3, "hour", 0)), i(arg(a, kw, 4, "minute", 0)),
                    i(arg(a, kw, 5, "second", 0)), i(arg(a, kw, 6, "microsecond", 0)) * 1000);
            Object tz = arg(a, kw, 7, "tzinfo", null);
            return new PyDates.DateTime(v, tz == null ? null : PyDates.zoneOf(tz));
        });
        dt.fn("now", (a, kw) -> {
            Object tz = arg(a, kw, 0, "tz", null);
            return tz == null ? new PyDates.DateTime(LocalDateTime.now(), null)
                    : PyDates.DateTime.of(ZonedDateTime.now(PyDates.zoneOf(tz)));
        });
        dt.fn("utcnow", (a, kw) -> new PyDates.DateTime(LocalDateTime.now(ZoneOffset.UTC), null));
        dt.fn("today", (a, kw) -> new PyDates.DateTime(LocalDateTime.now(), null));
        dt.fn("strptime", (a, kw) -> PyDates.strptime(Values.str(a.get(0)), Values.str(a.get(1))));
        dt.fn("fromisoformat", (a, kw) -> PyDates.fromIso(Values.str(a.get(0))));
        dt.fn("fromtimestamp", (a, kw) -> {
            double secs = Values.toNumber(a.get(0), 0).doubleValue();
            Object tz = arg(a, kw, 1, "tz", null);
            ZoneId zone = tz == null ? ZoneId.systemDefault() : PyDates.zoneOf(tz);
            ZonedDateTime z = java.time.Instant.ofEpochMilli(Math.round(secs * 1000)).atZone(zone);
            return tz == null ? new PyDates.DateTime(z.toLocalDateTime(), null) : PyDates.DateTime.of(z);
        });
        dt.fn("combine", (a, kw) -> a.get(0) instanceof PyDates.Date d
                ? new PyDates.DateTime(d.value.atStartOfDay(), null) : JinjaObject.MISSING);
        PyClass date = new PyClass("date", (a, kw) -> new PyDates.Date(LocalDate.of(i(arg(a, kw, 0, "year", 1)),
                i(arg(a, kw, 1, "month", 1)), i(arg(a, kw, 2, "day", 1)))));
        date.fn("today", (a, kw) -> new PyDates.Date(LocalDate.now()));
        date.fn("fromisoformat", (a, kw) -> new PyDates.Date(LocalDate.parse(Values.str(a.get(0)).trim())));
        PyClass delta = new PyClass("timedelta", PyDates.Delta::of);
        Module timezone = new Module("timezone").value("utc", new PyDates.TimeZone(ZoneOffset.UTC));
        return new Module("datetime").value("datetime", dt).value("date", date).value("timedelta", delta)
                .value("timezone", timezone).value("MINYEAR", 1L).value("MAXYEAR", 9999L);
    }

    // ---- re ----------------------------------------------------------------------------------

    static final long IGNORECASE = 2;
    static final long MULTILINE = 8;
    static final long DOTALL = 16;
    static final long VERBOSE = 64;

    private static Module re() {
        Module re = new Module("re");
        re.value("IGNORECASE", IGNORECASE).value("I", IGNORECASE).value("MULTILINE", MULTILINE).value("M", MULTILINE)
                .value("DOTALL", DOTALL).value("S", DOTALL).value("VERBOSE", VERBOSE).value("X", VERBOSE);
        re.fn("compile", (a, kw) -> new Regex(compile(a.get(0), arg(a, kw, 1, "flags", 0L))));
        re.fn("match", (a, kw) -> new Regex(compile(a.get(0), arg(a, kw, 2, "flags", 0L))).match(Values.str(a.get(1)), false));
        re.fn("fullmatch", (a, kw) -> new Regex(compile(a.get(0), arg(a, kw, 2, "flags", 0L))).match(Values.str(a.get(1)), true));
        re.fn("search", (a, kw) -> new Regex(compile(a.get(0), arg(a, kw, 2, "flags", 0L))).search(Values.str(a.get(1))));
        re.fn("findall", (a, kw) -> new Regex(compile(a.get(0), arg(a, kw, 2, "flags", 0L))).findall(Values.str(a.get(1))));
        re.fn("split", (a, kw) -> new Regex(compile(a.get(0), arg(a, kw, 3, "flags", 0L))).split(Values.str(a.get(1)),
                i(arg(a, kw, 2, "maxsplit", 0L))));
        re.fn("sub", (a, kw) -> new Regex(compile(a.get(0), arg(a, kw, 4, "flags", 0L))).sub(Values.str(a.get(1)),
                Values.str(a.get(2)), i(arg(a, kw, 3, "count", 0L))));
        re.fn("escape", (a, kw) -> Values.str(a.get(0)).replaceAll("([^A-Za-z0-9_])", "\\\\$1"));
        return re;
    }

    private static Pattern compile(Object pattern, Object flags) {
        if (pattern instanceof Regex r) return r.pattern;
        long f = Values.toNumber(flags, 0L).longValue();
        int jf = 0;
        if ((f & IGNORECASE) != 0) jf |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        if ((f & MULTILINE) != 0) jf |= Pattern.MULTILINE;
        if ((f & DOTALL) != 0) jf |= Pattern.DOTALL;
        if ((f & VERBOSE) != 0) jf |= Pattern.COMMENTS;
        // Python's named groups (?P<name>...) and references (?P=name) in Java's spelling.
        String p = Values.str(pattern).replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
        return Pattern.compile(literalBraces(p), jf);
    }

    /** Python reads a '{' that does not start a {m,n} quantifier as itself; Java needs it escaped. */
    static String literalBraces(String p) {
        StringBuilder sb = new StringBuilder(p.length() + 8);
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                sb.append(c).append(p.charAt(++i));
                continue;
            }
            if (c == '{' && !p.substring(i).matches("(?s)\\{\\d+(,\\d*)?\\}.*")) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** A compiled pattern (re.compile). */
    static final class Regex implements JinjaObject {
        final Pattern pattern;

        Regex(Pattern pattern) {
            this.pattern = pattern;
        }

        Object match(String s, boolean full) {
            Matcher m = pattern.matcher(s);
            return (full ? m.matches() : m.lookingAt()) ? new Match(m) : null;
        }

        Object search(String s) {
            Matcher m = pattern.matcher(s);
            return m.find() ? new Match(m) : null;
        }

        List<Object> findall(String s) {
            List<Object> out = new ArrayList<>();
            Matcher m = pattern.matcher(s);
            while (m.find()) {
                if (m.groupCount() == 0) out.add(m.group());
                else if (m.groupCount() == 1) out.add(m.group(1) == null ? "" : m.group(1));
                else {
                    List<Object> groups = new ArrayList<>();
                    for (int g = 1; g <= m.groupCount(); g++) groups.add(m.group(g) == null ? "" : m.group(g));
                    out.add(groups);
                }
            }
            return out;
        }

        List<Object> split(String s, int max) {
            return new ArrayList<>(List.of(pattern.split(s, max <= 0 ? -1 : max + 1)));
        }

        String sub(String repl, String s, int count) {
            Matcher m = pattern.matcher(s);
            StringBuilder sb = new StringBuilder();
            int n = 0;
            int last = 0;
            while ((count <= 0 || n < count) && m.find()) {
                sb.append(s, last, m.start()).append(expand(repl, m));
                last = m.end();
                n++;
            }
            return sb.append(s, last, s.length()).toString();
        }

        /**
         * Python's replacement template: \1 and \g<1> / \g<name> are groups (an unmatched one empty), \n and
         * \t their characters, \\ a backslash; anything else is kept as written. Expanded by hand, since Java's
         * $-syntax reads \g<1>0 and named groups differently.
         */
        private static String expand(String repl, Matcher m) {
            StringBuilder out = new StringBuilder();
            for (int k = 0; k < repl.length(); k++) {
                char c = repl.charAt(k);
                if (c != '\\' || k + 1 == repl.length()) {
                    out.append(c);
                    continue;
                }
                char d = repl.charAt(k + 1);
                if (d == 'g' && k + 2 < repl.length() && repl.charAt(k + 2) == '<' && repl.indexOf('>', k + 3) > 0) {
                    int close = repl.indexOf('>', k + 3);
                    String ref = repl.substring(k + 3, close);
                    String g = ref.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(ref)) : m.group(ref);
                    out.append(g == null ? "" : g);
                    k = close;
                } else if (Character.isDigit(d)) {
                    int end = k + 2;
                    if (end < repl.length() && Character.isDigit(repl.charAt(end)) && Integer.parseInt(repl.substring(k + 1, end + 1)) <= m.groupCount()) end++;
                    String g = m.group(Integer.parseInt(repl.substring(k + 1, end)));
                    out.append(g == null ? "" : g);
                    k = end - 1;
                } else {
                    switch (d) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case '\\' -> out.append('\\');
                        default -> out.append(c).append(d);
                    }
                    k++;
                }
            }
            return out.toString();
        }

        @Override
        public Object attribute(String name) {
            return name.equals("pattern") ? pattern.pattern() : MISSING;
        }

        @Override
        public Object method(String name, List<Object> a, Map<String, Object> kw) {
            return switch (name) {
                case "match" -> match(Values.str(a.get(0)), false);
                case "fullmatch" -> match(Values.str(a.get(0)), true);
                case "search" -> search(Values.str(a.get(0)));
                case "findall" -> findall(Values.str(a.get(0)));
                case "split" -> split(Values.str(a.get(0)), i(arg(a, kw, 1, "maxsplit", 0L)));
                case "sub" -> sub(Values.str(a.get(0)), Values.str(a.get(1)), i(arg(a, kw, 2, "count", 0L)));
                default -> MISSING;
            };
        }

        @Override
        public String jinjaName() {
            return "re.Pattern";
        }
    }

    /** A match (re.match, re.search). */
    static final class Match implements JinjaObject {
        private final List<String> groups = new ArrayList<>();
        private final Map<String, String> named = new LinkedHashMap<>();
        private final int start;
        private final int end;

        Match(Matcher m) {
            for (int g = 0; g <= m.groupCount(); g++) groups.add(m.group(g));
            Matcher names = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(m.pattern().pattern());
            while (names.find()) named.put(names.group(1), m.group(names.group(1)));
            start = m.start();
            end = m.end();
        }

        private Object group(Object g) {
            if (g instanceof Number n) return groups.get(n.intValue());
            return named.get(Values.str(g));
        }

        @Override
        public Object method(String name, List<Object> a, Map<String, Object> kw) {
            return switch (name) {
                case "group" -> {
                    if (a.size() <= 1) yield group(a.isEmpty() ? 0L : a.get(0));
                    List<Object> out = new ArrayList<>();
                    for (Object g : a) out.add(group(g));
                    yield out;
                }
                case "groups" -> new ArrayList<Object>(groups.subList(1, groups.size()));
                case "groupdict" -> new LinkedHashMap<String, Object>(named);
                case "start" -> (long) start;
                case "end" -> (long) end;
                case "span" -> List.of((long) start, (long) end);
                default -> MISSING;
            };
        }

        @Override
        public String jinjaName() {
            return "re.Match";
        }

        @Override
        public String toString() {
            return "<re.Match object; span=(" + start + ", " + end + "), match='" + groups.get(0) + "'>";
        }
    }

    // ---- itertools ---------------------------------------------------------------------------

    private static Module itertools() {
        return new Module("itertools")
                .fn("product", (a, kw) -> {
                    List<List<Object>> pools = new ArrayList<>();
                    int repeat = i(kw.getOrDefault("repeat", 1L));
                    for (int r = 0; r < repeat; r++) for (Object p : a) pools.add(Values.toList(p));
                    List<Object> out = new ArrayList<>();
                    out.add(new ArrayList<>());
                    for (List<Object> pool : pools) {
                        List<Object> next = new ArrayList<>();
                        for (Object prefix : out) {
                            for (Object x : pool) {
                                List<Object> t = new ArrayList<>(Values.toList(prefix));
                                t.add(x);
                                next.add(t);
                            }
                        }
                        out = next;
                    }
                    return out;
                })
                .fn("chain", (a, kw) -> {
                    List<Object> out = new ArrayList<>();
                    for (Object l : a) out.addAll(Values.toList(l));
                    return out;
                })
                .fn("combinations", (a, kw) -> {
                    List<Object> pool = Values.toList(a.get(0));
                    List<Object> out = new ArrayList<>();
                    combinations(pool, i(arg(a, kw, 1, "r", 0L)), 0, new ArrayList<>(), out);
                    return out;
                })
                .fn("permutations", (a, kw) -> {
                    List<Object> pool = Values.toList(a.get(0));
                    int r = a.size() > 1 || kw.containsKey("r") ? i(arg(a, kw, 1, "r", 0L)) : pool.size();
                    List<Object> out = new ArrayList<>();
                    permutations(pool, r, new ArrayList<>(), new boolean[pool.size()], out);
                    return out;
                });
    }

    private static void combinations(List<Object> pool, int r, int from, List<Object> cur, List<Object> out) {
        if (cur.size() == r) {
            out.add(new ArrayList<>(cur));
            return;
        }
        for (int k = from; k < pool.size(); k++) {
            cur.add(pool.get(k));
            combinations(pool, r, k + 1, cur, out);
            cur.remove(cur.size() - 1);
        }
    }

    private static void permutations(List<Object> pool, int r, List<Object> cur, boolean[] used, List<Object> out) {
        if (cur.size() == r) {
            out.add(new ArrayList<>(cur));
            return;
        }
        for (int k = 0; k < pool.size(); k++) {
            if (used[k]) continue;
            used[k] = true;
            cur.add(pool.get(k));
            permutations(pool, r, cur, used, out);
            cur.remove(cur.size() - 1);
            used[k] = false;
        }
    }

    // ---- pytz --------------------------------------------------------------------------------

    private static Module pytz() {
        return new Module("pytz")
                .value("utc", new PyDates.TimeZone(ZoneOffset.UTC))
                .value("UTC", new PyDates.TimeZone(ZoneOffset.UTC))
                .fn("timezone", (a, kw) -> new PyDates.TimeZone(PyDates.zoneOf(a.get(0))));
    }
}
