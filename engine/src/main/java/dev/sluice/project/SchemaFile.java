package dev.sluice.project;

import java.util.List;

/** What one schema YAML file declares. */
public record SchemaFile(List<ResourceSpec> models, List<ResourceSpec> seeds, List<ResourceSpec> snapshots,
                         List<SourceTable> sources, List<OperatorSpec> operators,
                         List<SegmentSpec> segments, List<UnitTestSpec> unitTests) {
}
