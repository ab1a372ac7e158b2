package dev.sluice.cli;

import dev.sluice.task.DepsTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `engine deps`: installs the packages named in packages.yml or dependencies.yml. */
@Command(name = "deps", description = "Install the packages of packages.yml / dependencies.yml into dbt_packages/.")
final class DepsCommand extends Main.NodeCommand {
    @Option(names = "--upgrade", description = "Resolve packages.yml again instead of installing package-lock.yml")
    boolean upgrade;

    @Override
    public Integer call() {
        new DepsTask(common.projectDir, upgrade).execute(out, progress());
        return Main.OK;
    }
}
