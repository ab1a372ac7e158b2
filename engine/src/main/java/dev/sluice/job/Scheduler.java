package dev.sluice.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fires scheduled jobs at their cron times. Time comes from a {@link Clock} and waiting from a {@link Sleeper},
 * so tests drive it with a fake clock. Jobs due at the same minute run one after another in file order (they
 * usually share a target, whose run lock would refuse a second concurrent build). A fire time missed while a
 * long job ran is run once when the job ends, not once per missed time, as cron does for a busy machine.
 */
public final class Scheduler {
    /** Waits until the given instant (or less, when woken early); the real one sleeps. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepUntil(Instant when) throws InterruptedException;
    }

    private final List<JobSpec> jobs;
    private final Clock clock;
    private final Map<String, Instant> next = new LinkedHashMap<>();

    /** @param jobs all jobs of the project; only those with a schedule take part */
    public Scheduler(List<JobSpec> jobs, Clock clock) {
        this.jobs = jobs.stream().filter(j -> j.schedule().isPresent()).toList();
        this.clock = clock;
        Instant now = clock.instant();
        for (JobSpec j : this.jobs) j.schedule().get().next(now).ifPresent(t -> next.put(j.name(), t));
    }

    public List<JobSpec> scheduled() {
        return jobs;
    }

    /** When each scheduled job fires next. */
    public Map<String, Instant> nextTimes() {
        return Map.copyOf(next);
    }

    /** The earliest next fire time of any job; empty when no job will fire again. */
    public Optional<Instant> nextFire() {
        return next.values().stream().min(Comparator.naturalOrder());
    }

    /**
     * The jobs due at the clock's current time, in file order; each one's next fire time moves past now.
     */
    public List<JobSpec> due() {
        Instant now = clock.instant();
        List<JobSpec> out = new ArrayList<>();
        for (JobSpec j : jobs) {
            Instant t = next.get(j.name());
            if (t != null && !t.isAfter(now)) {
                out.add(j);
                Optional<Instant> after = j.schedule().get().next(now);
                if (after.isPresent()) next.put(j.name(), after.get()); else next.remove(j.name());
            }
        }
        return out;
    }

    /**
     * Runs until interrupted or until no job will fire again: waits for the next fire time, then hands each due job
     * to launch (which runs it; its exceptions are launch's to report).
     *
     * @param maxFires stop after this many launches (tests); Long.MAX_VALUE to run forever
     */
    public void run(Sleeper sleeper, Consumer<JobSpec> launch, long maxFires) throws InterruptedException {
        long fired = 0;
        while (fired < maxFires) {
            Optional<Instant> when = nextFire();
            if (when.isEmpty()) return;
            if (clock.instant().isBefore(when.get())) {
                sleeper.sleepUntil(when.get());
                continue; // woken early or on time: look again
            }
            for (JobSpec j : due()) {
                launch.accept(j);
                if (++fired >= maxFires) return;
            }
        }
    }

    /** The real sleeper: Thread.sleep until the instant by the given clock. */
    public static Sleeper sleeping(Clock clock) {
        return when -> {
            long ms = Duration.between(clock.instant(), when).toMillis();
            if (ms > 0) Thread.sleep(Math.min(ms, Duration.ofMinutes(1).toMillis()));
        };
    }
}
