package dev.sluice.cli;

import dev.sluice.task.ParseTask;
import picocli.CommandLine.Command;

/** engine parse: the whole project read and rendered into target/manifest.json, without the warehouse. */
@Command(name = "parse", description = "Parse the project and write target/manifest.json and target/perf_info.json (no warehouse connection).")
final class ParseCommand extends Main.NodeCommand {
    @Override
    public Integer call() {
        new ParseTask(invocation("parse"), progress(), BuiltInOperators.all()).execute();
        return Main.OK;
    }
}
