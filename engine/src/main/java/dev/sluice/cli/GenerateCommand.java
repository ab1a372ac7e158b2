package dev.sluice.cli;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.Progress;
import dev.sluice.generate.RetailLoader;
import dev.sluice.generate.RetailSpec;
import dev.sluice.generate.TextProgressBar;
import dev.sluice.project.ProjectConfig;
import dev.sluice.task.Invocation;
import dev.sluice.project.Target;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;

/** generate retail: the deterministic retail data set, loaded in bulk into the target warehouse. */
@Command(name = "generate", description = "Generate sample data into the warehouse.", subcommands = GenerateCommand.Retail.class)
final class GenerateCommand implements Runnable {
    @Override
    public void run() {
        throw new ConfigException("say which data set: 'generate retail'");
    }

    @Command(name = "retail", description = "Customers and card transactions with hidden segments (raw_customers, raw_transactions).")
    static final class Retail extends Main.NodeCommand {
        @Option(names = "--customers", defaultValue = "2000")
        int customers;
        @Option(names = "--months", defaultValue = "18")
        int months;
        @Option(names = "--seed", defaultValue = "42")
        long seed;
        @Option(names = "--end-date", defaultValue = "2025-06-30")
        LocalDate endDate;
        @Option(names = "--schema", description = "Schema to write to (default: the target's schema)")
        String schema;

        @Override
        public Integer call() {
            Invocation inv = invocation("generate");
            ProjectConfig config = Workspace.loadConfig(inv);
            Target target = Workspace.loadTarget(inv, config);
            RetailSpec spec;
            try {
                spec = new RetailSpec(customers, months, seed, endDate);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
            try (Adapter adapter = Adapters.forTarget(target)) {
                RetailLoader.Result r = new RetailLoader(adapter, schema == null ? target.schema() : schema)
                        .load(spec, TextProgressBar.forConsole(out));
                progress().line(String.format("Loaded %,d customers into %s and %,d transactions into %s in %.1fs",
                        r.customerRows(), r.customers().display(), r.transactionRows(), r.transactions().display(),
                        r.elapsed().toMillis() / 1000.0));
            }
            return Main.OK;
        }
    }
}
