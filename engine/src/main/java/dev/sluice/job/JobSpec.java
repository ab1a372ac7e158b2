package dev.sluice.job;

import dev.sluice.error.SourceLocation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job of jobs.yml: what to run (a command and a selection), where (target, vars), when (a cron schedule,
 * optionally only when a source has new data), how often to retry, and whom to tell.
 *
 * @param command   build, run, test, seed or snapshot
 * @param schedule  empty for a job that only runs on demand (engine job run, the dashboard)
 * @param trigger   empty when the job runs at every scheduled time
 * @param retries   how many times a failed run is retried from the failure (engine retry); 0 = no retry
 * @param tags      run tags (key=value) recorded with the run
 * @param location  where the job is written, for messages
 */
public record JobSpec(String name, String description, String command, List<String> select, List<String> exclude,
                      String selector, Map<String, Object> vars, String target, boolean fullRefresh, Integer threads,
                      Map<String, String> tags, Optional<Schedule> schedule, Optional<Trigger> trigger, int retries,
                      Notifications notifications, SourceLocation location) {

    public JobSpec {
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
        vars = Map.copyOf(vars);
        tags = Map.copyOf(tags);
    }

    /** "Only when new data arrived": the job runs when the source's data version differs from the last good run's. */
    public record Trigger(String sourceName, String tableName, SourceLocation location) {
        public String display() {
            return sourceName + "." + tableName;
        }
    }
}
