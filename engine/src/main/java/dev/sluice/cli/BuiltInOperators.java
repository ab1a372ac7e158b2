package dev.sluice.cli;

import dev.sluice.activation.ExportFileOperator;
import dev.sluice.activation.ExportWebhookOperator;
import dev.sluice.generate.RetailGeneratorOperator;
import dev.sluice.identity.IdentityResolutionOperator;
import dev.sluice.ml.ChurnOperator;
import dev.sluice.ml.LookalikeOperator;
import dev.sluice.ml.SegmentationOperator;
import dev.sluice.operator.Operators;
import dev.sluice.quality.SourceValidationOperator;

import java.util.List;

/** The operators shipped with the engine. */
final class BuiltInOperators {
    private BuiltInOperators() {
    }

    static Operators all() {
        return new Operators(List.of(new RetailGeneratorOperator(), new ChurnOperator(), new SegmentationOperator(),
                new LookalikeOperator(), new ExportFileOperator(), new ExportWebhookOperator(), new SourceValidationOperator(),
                new IdentityResolutionOperator(), new dev.sluice.generate.StoreDataOperator()));
    }
}
