package dev.sluice.template;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's datetime, date and timedelta as dbt templates use them (modules.datetime, run_started_at):
 * construction, now/strptime/fromisoformat, attributes, strftime/isoformat, comparison, and arithmetic
 * with timedelta.
 */
final class PyDates {

    private PyDates() {
    }

    /** Values that take part in Jinja's + and - (see PyOps). */
    interface Arith {
        /** a op b (or b op a when reversed); null when the operation does not apply. */
        Object binary(String op, Object other, boolean reversed);
    }

    /** A value of Python's datetime module over a java.time value, which orders, compares and hashes it. */
    abstract static class Wrapped<V extends Comparable<? super V>, S extends Wrapped<V, S>> implements JinjaObject, Arith, Comparable<S> {
        final V value;

        Wrapped(V value) {
            this.value = value;
        }

        @Override
        public int compareTo(S o) {
            return value.compareTo(o.value);
        }

        @Override
        public boolean equals(Object o) {
            return o != null && o.getClass() == getClass() && ((Wrapped<?, ?>) o).value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }
    }

    // ---- datetime ----------------------------------------------------------------------------

    /** A datetime: naive (zone null) or aware. */
    static final class DateTime extends Wrapped<LocalDateTime, DateTime> {
        final ZoneId zone;

        DateTime(LocalDateTime value, ZoneId zone) {
            super(value);
            this.zone = zone;
        }

        static DateTime of(ZonedDateTime z) {
            return new DateTime(z.toLocalDateTime(), z.getZone());
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "year" -> (long) value.getYear();
                case "month" -> (long) value.getMonthValue();
                case "day" -> (long) value.getDayOfMonth();
                case "hour" -> (long) value.getHour();
                case "minute" -> (long) value.getMinute();
                case "second" -> (long) value.getSecond();
                case "microsecond" -> (long) (value.getNano() / 1000);
                case "tzinfo" -> zone == null ? null : new TimeZone(zone);
                default -> MISSING;
            };
        }

        @Override
        public Object method(String name, List<Object> a, Map<String, Object> kw) {
            return switch (name) {
                case "strftime" -> strftime(value, zone, Values.str(a.get(0)));
                case "isoformat" -> isoformat(a.isEmpty() ? (String) kw.getOrDefault("sep", "T") : Values.str(a.get(0)));
                case "date" -> new Date(value.toLocalDate());
                case "time" -> value.toLocalTime().toString();
                case "weekday" -> (long) (value.getDayOfWeek().getValue() - 1);
                case "isoweekday" -> (long) value.getDayOfWeek().getValue();
                case "timestamp" -> (zone == null ? value.atZone(ZoneId.systemDefault()) : value.atZone(zone)).toInstant().toEpochMilli() / 1000.0;
                case "replace" -> replace(kw);
                case "astimezone" -> {
                    ZoneId to = a.isEmpty() ? ZoneId.systemDefault() : zoneOf(a.get(0));
                    ZonedDateTime from = value.atZone(zone == null ? ZoneId.systemDefault() : zone);
                    yield of(from.withZoneSameInstant(to));
                }
                case "utcoffset" -> zone == null ? null : new Delta(Duration.ofSeconds(value.atZone(zone).getOffset().getTotalSeconds()));
                default -> MISSING;
            };
        }

        private DateTime replace(Map<String, Object> kw) {
            LocalDateTime v = value;
            if (kw.containsKey("year")) v = v.withYear(num(kw.get("year")));
            if (kw.containsKey("month")) v = v.withMonth(num(kw.get("month")));
            if (kw.containsKey("day")) v = v.withDayOfMonth(num(kw.get("day")));
            if (kw.containsKey("hour")) v = v.withHour(num(kw.get("hour")));
            if (kw.containsKey("minute")) v = v.withMinute(num(kw.get("minute")));
            if (kw.containsKey("second")) v = v.withSecond(num(kw.get("second")));
            if (kw.containsKey("microsecond")) v = v.withNano(num(kw.get("microsecond")) * 1000);
            ZoneId z = kw.containsKey("tzinfo") ? (kw.get("tzinfo") == null ? null : zoneOf(kw.get("tzinfo"))) : zone;
            return new DateTime(v, z);
        }

        String isoformat(String sep) {
            String s = value.toLocalDate() + sep + time(value.toLocalTime());
            return zone == null ? s : s + offset(value.atZone(zone).getOffset());
        }

        @Override
        public Object binary(String op, Object other, boolean reversed) {
            if (other instanceof Delta d && !reversed) {
                if (op.equals("+")) return new DateTime(value.plus(d.value), zone);
                if (op.equals("-")) return new DateTime(value.minus(d.value), zone);
            }
            if (other instanceof Delta d && reversed && op.equals("+")) return new DateTime(value.plus(d.value), zone);
            if (other instanceof DateTime o && op.equals("-")) {
                Duration diff = Duration.between(o.value, value);
                return new Delta(reversed ? diff.negated() : diff);
            }
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return super.equals(o) && java.util.Objects.equals(((DateTime) o).zone, zone);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }

        @Override
        public String jinjaName() {
            return "datetime";
        }

        /** Python's str(): isoformat with a space. */
        @Override
        public String toString() {
            return isoformat(" ");
        }
    }

    // ---- date --------------------------------------------------------------------------------

    static final class Date extends Wrapped<LocalDate, Date> {
        Date(LocalDate value) {
            super(value);
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "year" -> (long) value.getYear();
                case "month" -> (long) value.getMonthValue();
                case "day" -> (long) value.getDayOfMonth();
                default -> MISSING;
            };
        }

        @Override
        public Object method(String name, List<Object> a, Map<String, Object> kw) {
            return switch (name) {
                case "strftime" -> strftime(value.atStartOfDay(), null, Values.str(a.get(0)));
                case "isoformat" -> value.toString();
                case "weekday" -> (long) (value.getDayOfWeek().getValue() - 1);
                case "isoweekday" -> (long) value.getDayOfWeek().getValue();
                case "replace" -> {
                    LocalDate v = value;
                    if (kw.containsKey("year")) v = v.withYear(num(kw.get("year")));
                    if (kw.containsKey("month")) v = v.withMonth(num(kw.get("month")));
                    if (kw.containsKey("day")) v = v.withDayOfMonth(num(kw.get("day")));
                    yield new Date(v);
                }
                default -> MISSING;
            };
        }

        @Override
        public Object binary(String op, Object other, boolean reversed) {
            if (other instanceof Delta d && (op.equals("+") || (op.equals("-") && !reversed))) {
                long days = d.value.toDays();
                return new Date(op.equals("+") ? value.plusDays(days) : value.minusDays(days));
            }
            if (other instanceof Date o && op.equals("-")) {
                long days = ChronoUnit.DAYS.between(o.value, value);
                return new Delta(Duration.ofDays(reversed ? -days : days));
            }
            return null;
        }

        @Override
        public String jinjaName() {
            return "date";
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    // ---- timedelta ---------------------------------------------------------------------------

    static final class Delta extends Wrapped<Duration, Delta> {
        Delta(Duration value) {
            super(value);
        }

        static Delta of(List<Object> a, Map<String, Object> kw) {
            String[] names = {"days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"};
            double[] v = new double[names.length];
            for (int k = 0; k < names.length; k++) {
                Object x = k < a.size() ? a.get(k) : kw.get(names[k]);
                v[k] = x == null ? 0 : Values.toNumber(x, 0).doubleValue();
            }
            double micros = v[0] * 86_400e6 + v[1] * 1e6 + v[2] + v[3] * 1e3 + v[4] * 60e6 + v[5] * 3600e6 + v[6] * 7 * 86_400e6;
            return new Delta(Duration.of(Math.round(micros), ChronoUnit.MICROS));
        }

        @Override
        public Object attribute(String name) {
            long days = Math.floorDiv(value.getSeconds(), 86_400);
            return switch (name) {
                case "days" -> days;
                case "seconds" -> value.getSeconds() - days * 86_400;
                case "microseconds" -> (long) (value.getNano() / 1000);
                default -> MISSING;
            };
        }

        @Override
        public Object method(String name, List<Object> a, Map<String, Object> kw) {
            return name.equals("total_seconds") ? value.toNanos() / 1e9 : MISSING;
        }

        @Override
        public Object binary(String op, Object other, boolean reversed) {
            if (other instanceof Delta d) {
                if (op.equals("+")) return new Delta(value.plus(d.value));
                if (op.equals("-")) return new Delta(reversed ? d.value.minus(value) : value.minus(d.value));
            }
            if (other instanceof Number n && op.equals("*")) return new Delta(Duration.ofNanos(Math.round(value.toNanos() * n.doubleValue())));
            if (other instanceof DateTime || other instanceof Date) return ((Arith) other).binary(op, this, !reversed);
            return null;
        }

        @Override
        public String jinjaName() {
            return "timedelta";
        }

        /** Python's str(): "1 day, 2:03:04". */
        @Override
        public String toString() {
            long days = (long) attribute("days");
            long secs = (long) attribute("seconds");
            String hms = String.format("%d:%02d:%02d", secs / 3600, (secs % 3600) / 60, secs % 60);
            long micros = (long) attribute("microseconds");
            if (micros > 0) hms += String.format(".%06d", micros);
            return days == 0 ? hms : days + (Math.abs(days) == 1 ? " day, " : " days, ") + hms;
        }
    }

    /** A tzinfo (pytz.timezone('Europe/Paris'), pytz.utc, datetime.timezone.utc). */
    record TimeZone(ZoneId zone) implements JinjaObject {
        @Override
        public Object attribute(String name) {
            return name.equals("zone") ? name() : MISSING;
        }

        @Override
        public Object method(String name, List<Object> a, Map<String, Object> kw) {
            return switch (name) {
                case "localize" -> a.get(0) instanceof DateTime d ? new DateTime(d.value, zone) : MISSING;
                case "tzname" -> zone.getDisplayName(TextStyle.SHORT, Locale.ROOT);
                default -> MISSING;
            };
        }

        @Override
        public String jinjaName() {
            return "timezone";
        }

        @Override
        public String toString() {
            return name();
        }

        /** The zone's name as Python prints it: UTC, not Java's "Z" for the zero offset. */
        private String name() {
            return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
        }
    }

    static ZoneId zoneOf(Object tz) {
        if (tz instanceof TimeZone t) return t.zone();
        if (tz == null) return null;
        String id = Values.str(tz);
        return id.equalsIgnoreCase("utc") ? ZoneOffset.UTC : ZoneId.of(id);
    }

    private static int num(Object o) {
        return Values.toNumber(o, 0).intValue();
    }

    private static String time(LocalTime t) {
        String s = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        return t.getNano() == 0 ? s : s + String.format(".%06d", t.getNano() / 1000);
    }

    private static String offset(ZoneOffset o) {
        int secs = o.getTotalSeconds();
        String sign = secs < 0 ? "-" : "+";
        secs = Math.abs(secs);
        return String.format("%s%02d:%02d", sign, secs / 3600, (secs % 3600) / 60);
    }

    // ---- strftime / strptime -----------------------------------------------------------------

    static String strftime(LocalDateTime v, ZoneId zone, String fmt) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < fmt.length(); k++) {
            char c = fmt.charAt(k);
            if (c != '%' || k + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char f = fmt.charAt(++k);
            switch (f) {
                case 'Y' -> sb.append(String.format("%04d", v.getYear()));
                case 'y' -> sb.append(String.format("%02d", v.getYear() % 100));
                case 'm' -> sb.append(String.format("%02d", v.getMonthValue()));
                case 'd' -> sb.append(String.format("%02d", v.getDayOfMonth()));
                case 'H' -> sb.append(String.format("%02d", v.getHour()));
                case 'I' -> sb.append(String.format("%02d", v.getHour() % 12 == 0 ? 12 : v.getHour() % 12));
                case 'M' -> sb.append(String.format("%02d", v.getMinute()));
                case 'S' -> sb.append(String.format("%02d", v.getSecond()));
                case 'f' -> sb.append(String.format("%06d", v.getNano() / 1000));
                case 'p' -> sb.append(v.getHour() < 12 ? "AM" : "PM");
                case 'j' -> sb.append(String.format("%03d", v.getDayOfYear()));
                case 'a' -> sb.append(v.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> sb.append(v.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'b' -> sb.append(v.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> sb.append(v.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'w' -> sb.append(v.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : v.getDayOfWeek().getValue());
                case 'U' -> sb.append(String.format("%02d", (v.getDayOfYear() + 6 - (v.getDayOfWeek().getValue() % 7)) / 7));
                case 'W' -> sb.append(String.format("%02d", (v.getDayOfYear() + 6 - ((v.getDayOfWeek().getValue() + 6) % 7)) / 7));
                case 'z' -> sb.append(zone == null ? "" : offset(v.atZone(zone).getOffset()).replace(":", ""));
                case 'Z' -> sb.append(zone == null ? "" : zone.getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case '%' -> sb.append('%');
                default -> throw new IllegalArgumentException("strftime does not know the directive %" + f);
            }
        }
        return sb.toString();
    }

    /** Python's strptime format as a java.time pattern (the directives dbt packages use). */
    static DateTime strptime(String text, String fmt) {
        StringBuilder p = new StringBuilder();
        for (int k = 0; k < fmt.length(); k++) {
            char c = fmt.charAt(k);
            if (c != '%' || k + 1 >= fmt.length()) {
                if (Character.isLetter(c)) p.append('\'').append(c).append('\'');
                else if (c == '\'') p.append("''");
                else p.append(c);
                continue;
            }
            char f = fmt.charAt(++k);
            switch (f) {
                case 'Y' -> p.append("uuuu");
                case 'y' -> p.append("uu");
                case 'm' -> p.append("MM");
                case 'd' -> p.append("dd");
                case 'H' -> p.append("HH");
                case 'I' -> p.append("hh");
                case 'M' -> p.append("mm");
                case 'S' -> p.append("ss");
                case 'f' -> p.append("SSSSSS");
                case 'p' -> p.append("a");
                case 'j' -> p.append("DDD");
                case 'b' -> p.append("MMM");
                case 'B' -> p.append("MMMM");
                case 'a' -> p.append("EEE");
                case 'A' -> p.append("EEEE");
                case 'z' -> p.append("xx");
                case '%' -> p.append('%');
                default -> throw new IllegalArgumentException("strptime does not know the directive %" + f);
            }
        }
        DateTimeFormatter formatter = new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive()
                .appendPattern(p.toString()).parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .toFormatter(Locale.ENGLISH);
        try {
            return new DateTime(LocalDateTime.parse(text, formatter), null);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("time data '" + text + "' does not match format '" + fmt + "'");
        }
    }

    static DateTime fromIso(String s) {
        String t = s.trim().replace(' ', 'T');
        try {
            if (t.length() <= 10) return new DateTime(LocalDate.parse(t).atStartOfDay(), null);
            if (t.matches(".*([+-]\\d\\d:\\d\\d|Z)$")) return DateTime.of(ZonedDateTime.parse(t.replace("Z", "+00:00"), DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            return new DateTime(LocalDateTime.parse(t), null);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid isoformat string: '" + s + "'");
        }
    }
}
