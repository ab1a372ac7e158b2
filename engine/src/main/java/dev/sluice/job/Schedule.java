package dev.sluice.job;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A job's cron schedule: five Unix fields (minute hour day-of-month month day-of-week) read by cron-utils, in a
 * time zone (UTC unless the job names one), so "0 6 * * *" means 06:00 where the marketers are.
 */
public final class Schedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private Schedule(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.times = ExecutionTime.forCron(cron);
    }

    /** @throws IllegalArgumentException with cron-utils' explanation when the expression is not valid */
    public static Schedule parse(String expression, ZoneId zone) {
        Cron cron = UNIX.parse(expression.strip());
        cron.validate();
        return new Schedule(expression.strip(), zone, cron);
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first time strictly after the given instant at which the job is due; empty if never again. */
    public Optional<Instant> next(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }

    @Override
    public String toString() {
        return expression + (zone.getId().equals("UTC") ? "" : " (" + zone.getId() + ")");
    }
}
