package dev.sluice.project;

import java.util.List;

/** What one schema YAML file declares. */
public record SchemaFile(List<ResourceSpec> models, List<ResourceSpec> seeds, List<ResourceSpec> snapshots,
                         List<SourceTable> sources, List<OperatorSpec> operators,
                         List<SegmentSpec> segments, List<UnitTestSpec> unitTests, List<GroupSpec> groups,
                         List<ExposureSpec> exposures, List<MasterSegmentSpec> masterSegments,
                         List<SegmentTemplateSpec> segmentTemplates) {

    public SchemaFile(List<ResourceSpec> models, List<ResourceSpec> seeds, List<ResourceSpec> snapshots,
                      List<SourceTable> sources, List<OperatorSpec> operators,
                      List<SegmentSpec> segments, List<UnitTestSpec> unitTests) {
        this(models, seeds, snapshots, sources, operators, segments, unitTests, List.of(), List.of(), List.of(), List.of());
    }
}
