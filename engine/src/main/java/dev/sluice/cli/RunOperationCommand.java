package dev.sluice.cli;

import dev.sluice.task.RunOperationTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `engine run-operation MACRO --args '{k: v}'`: runs a macro on the warehouse, as dbt's run-operation. */
@Command(name = "run-operation", description = "Run a macro of the project or a package (pkg.macro) on the warehouse.")
final class RunOperationCommand extends Main.NodeCommand {
    @Parameters(index = "0", paramLabel = "MACRO", description = "The macro to run: name, or package.name")
    String macro;

    @Option(names = "--args", description = "YAML mapping of the macro's keyword arguments, e.g. '{role: reporter}'")
    String args;

    @Override
    public Integer call() {
        java.util.Map<String, Object> parsed;
        try {
            parsed = CommonOptions.parseVars(args);
        } catch (dev.sluice.error.ConfigException e) {
            throw new dev.sluice.error.ConfigException(e.getMessage().replace("--vars", "--args"));
        }
        new RunOperationTask(invocation("run-operation"), macro, parsed).execute(out);
        return Main.OK;
    }
}
