package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses schema YAML files (models:, seeds:, snapshots:, sources:) in dbt's version 2 format. */
public final class SchemaFileParser {
    /** Config key of a model's versions: a list of {@link ModelVersion}. */
    public static final String VERSIONS = "versions";
    /** Config key that carries a YAML snapshot's relation: to the loader (removed there). */
    public static final String SNAPSHOT_RELATION = "relation";

    private List<ModelVersion> versions(Yaml list, String model) {
        List<ModelVersion> out = new ArrayList<>();
        for (Yaml v : list.items("versions of model '" + model + "'")) {
            if (!v.isMap() || v.get("v").isNull()) throw v.error("each version of model '" + model + "' needs a v: (its version)");
            String ver = String.valueOf(v.get("v").value());
            for (String key : v.entries("version").keySet()) {
                if (!Set.of("v", "defined_in", "columns", "config", "description", "docs", "tests", "data_tests",
                        "constraints", "deprecation_date", "access", "group", "meta").contains(key)) {
                    throw v.get(key).error("unknown key '" + key + "' in version " + ver + " of model '" + model + "'");
                }
                if (key.equals("constraints")) {
                    throw v.get(key).error("'" + key + "' of a single version of model '" + model + "' is not supported; "
                            + "declare it on the model's columns");
                }
            }
            List<String> include = null;
            List<String> exclude = List.of();
            List<ColumnSpec> own = new ArrayList<>();
            for (Yaml c : v.get("columns").items("columns")) {
                if (c.isMap() && c.has("include")) {
                    Object inc = c.get("include").value();
                    include = "*".equals(inc) || "all".equals(inc) ? null
                            : ProjectConfigLoader.strings(c.get("include"), "include", List.of());
                    exclude = ProjectConfigLoader.strings(c.get("exclude"), "exclude", List.of());
                } else {
                    own.addAll(columns(new Yaml[] {c}));
                }
            }
            Map<String, Object> config = new LinkedHashMap<>(config(v.get("config")));
            for (String key : List.of("access", "group", "deprecation_date")) {
                if (v.has(key) && !config.containsKey(key)) config.put(key, String.valueOf(v.get(key).value()));
            }
            // A version's own tests replace the model's for that version, as in dbt (none given: the model's).
            List<TestSpec> tests = v.has("tests") || v.has("data_tests") ? tests(v, null) : null;
            out.add(new ModelVersion(ver, v.get("defined_in").string("defined_in"), include, exclude, List.copyOf(own),
                    config, v.get("description").string("description"), new SourceLocation(v.file(), v.location().line(), 0),
                    tests));
        }
        return List.copyOf(out);
    }

    /** Config key of a model's model-level constraints (a list of {@link Constraint}). */
    public static final String CONSTRAINTS = "constraints";
    /** Keys of a test entry that configure the test rather than being arguments (dbt accepts both places). */
    static final Set<String> TEST_CONFIG_KEYS = Set.of("severity", "warn_if", "error_if", "where", "limit",
            "store_failures", "store_failures_as", "enabled", "tags", "meta", "fail_calc", "schema", "alias", "database");

    /** The unit tests' fixture files, which fixture: names. */
    private final UnitTestFixtures fixtures;

    public SchemaFileParser() {
        this(UnitTestFixtures.NONE);
    }

    SchemaFileParser(UnitTestFixtures fixtures) {
        this.fixtures = fixtures;
    }

    /** @param display the path errors name */
    public SchemaFile parse(Path file, Path display) {
        return parse(file, display, new ArrayList<>(), null);
    }

    /**
     * @param warnings receives unknown blocks and keys, with file and line
     * @param renderer renders Jinja in values as dbt does (not descriptions, tests or hooks); null leaves them
     */
    public SchemaFile parse(Path file, Path display, List<String> warnings, YamlRenderer renderer) {
        Yaml root = Yaml.load(file, display);
        if (renderer != null) root = root.rendered(SchemaFileParser::rendersAt, renderer);
        check(root, warnings);
        if (root.isNull()) return new SchemaFile(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        if (!root.isMap()) throw root.error("a schema file must be a mapping with models:, sources:, seeds: ...");
        return new SchemaFile(resources(root.get("models"), "models"), resources(root.get("seeds"), "seeds"),
                resources(root.get("snapshots"), "snapshots"), sources(root.get("sources"), warnings), operators(root.get("operators")),
                segments(root.get("segments")), unitTests(root.get("unit_tests")), groups(root.get("groups")),
                exposures(root.get("exposures")), SegmentTemplates.masters(root.get("master_segments")),
                SegmentTemplates.templates(root.get("segment_templates")));
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_]+");

    private List<GroupSpec> groups(Yaml list) {
        List<GroupSpec> out = new ArrayList<>();
        for (Yaml item : list.items("groups")) {
            if (!item.isMap()) throw item.error("each group must be a mapping with name and owner");
            String name = item.get("name").string("name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw item.error("a group needs a name of letters, digits and underscores");
            }
            for (String key : item.entries("group").keySet()) {
                if (!Set.of("name", "owner", "description", "config", "meta").contains(key)) {
                    throw item.get(key).error("unknown key '" + key + "' in group '" + name + "' (known: name, owner, "
                            + "description, config)");
                }
            }
            out.add(new GroupSpec(name, owner(item, "group '" + name + "'"), item.get("description").string("description", ""),
                    new SourceLocation(item.file(), item.location().line(), 0)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> owner(Yaml item, String what) {
        Yaml owner = item.get("owner");
        if (!owner.isMap() || (owner.get("name").isNull() && owner.get("email").isNull())) {
            throw (owner.isNull() ? item : owner).error(what + " needs an owner with a name or an email");
        }
        return (Map<String, Object>) owner.value();
    }

    private static final Set<String> EXPOSURE_TYPES = Set.of("dashboard", "notebook", "analysis", "ml", "application");
    private static final Set<String> EXPOSURE_KEYS = Set.of("name", "type", "owner", "description", "label", "maturity",
            "url", "depends_on", "meta", "tags", "config");

    @SuppressWarnings("unchecked")
    private List<ExposureSpec> exposures(Yaml list) {
        List<ExposureSpec> out = new ArrayList<>();
        for (Yaml item : list.items("exposures")) {
            if (!item.isMap()) throw item.error("each exposure must be a mapping with name, type, owner and depends_on");
            String name = item.get("name").string("name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw item.error("an exposure needs a name of letters, digits and underscores (a label: may hold any text)");
            }
            String what = "exposure '" + name + "'";
            for (String key : item.entries("exposure").keySet()) {
                if (!EXPOSURE_KEYS.contains(key)) {
                    throw item.get(key).error("unknown key '" + key + "' in " + what + KnownKeys.didYouMean(key, EXPOSURE_KEYS));
                }
            }
            String type = item.get("type").string("type");
            if (type == null || !EXPOSURE_TYPES.contains(type)) {
                throw (type == null ? item : item.get("type")).error(what + " needs a type: one of analysis, application, "
                        + "dashboard, ml, notebook" + (type == null ? "" : ", not '" + type + "'"));
            }
            String maturity = item.get("maturity").string("maturity");
            if (maturity != null && !Set.of("low", "medium", "high").contains(maturity)) {
                throw item.get("maturity").error("maturity of " + what + " must be low, medium or high, not '" + maturity + "'");
            }
            List<String> deps = new ArrayList<>();
            for (Yaml d : item.get("depends_on").items("depends_on of " + what)) {
                String call = d.string("depends_on");
                if (call == null || !call.strip().matches("(?s)(ref|source)\\s*\\(.*\\)")) {
                    throw d.error("depends_on of " + what + " lists ref('model') or source('source', 'table') calls, not '"
                            + call + "'");
                }
                deps.add(call.strip());
            }
            Map<String, Object> meta = item.get("meta").isMap() ? (Map<String, Object>) item.get("meta").value() : Map.of();
            out.add(new ExposureSpec(name, type, owner(item, what), item.get("description").string("description", ""),
                    item.get("label").string("label"), maturity, item.get("url").string("url"), List.copyOf(deps), meta,
                    ProjectConfigLoader.strings(item.get("tags"), "tags", List.of()), config(item.get("config")),
                    new SourceLocation(item.file(), item.location().line(), 0)));
        }
        return out;
    }

    private List<UnitTestSpec> unitTests(Yaml list) {
        List<UnitTestSpec> out = new ArrayList<>();
        for (Yaml item : list.items("unit_tests")) {
            if (!item.isMap()) throw item.error("each unit test must be a mapping with name, model, given and expect");
            String name = item.get("name").string("name");
            if (name == null) throw item.error("a unit test has no name");
            String model = item.get("model").string("model");
            if (model == null) throw item.error("unit test '" + name + "' names no model");
            for (String key : item.entries("unit test").keySet()) {
                if (!Set.of("name", "model", "description", "given", "expect", "overrides", "config", "versions").contains(key)) {
                    throw item.get(key).error("unit test '" + name + "' has an unknown key '" + key
                            + "' (known: name, model, description, given, expect, overrides, config, versions)");
                }
            }
            List<String> include = null;
            List<String> exclude = null;
            if (item.has("versions")) {
                Yaml vs = item.get("versions");
                Set<String> keys = vs.entries("versions of unit test '" + name + "'").keySet();
                for (String key : keys) {
                    if (!Set.of("include", "exclude").contains(key)) {
                        throw vs.get(key).error("unit test '" + name + "': unknown versions key '" + key + "' (known: include, exclude)");
                    }
                }
                if (keys.contains("include") && keys.contains("exclude")) {
                    throw vs.error("unit test '" + name + "': versions may have include or exclude, not both");
                }
                if (keys.contains("include")) include = versionList(vs.get("include"), name);
                if (keys.contains("exclude")) exclude = versionList(vs.get("exclude"), name);
            }
            List<UnitTestSpec.Given> given = new ArrayList<>();
            for (Yaml g : item.get("given").items("given of unit test '" + name + "'")) {
                String input = g.get("input").string("input");
                if (input == null) throw g.error("each given of unit test '" + name + "' needs an input: ref('...') or source('...', '...')");
                given.add(new UnitTestSpec.Given(input.strip(), fixture(g, name)));
            }
            if (!item.has("expect")) throw item.error("unit test '" + name + "' has no expect");
            Yaml overrides = item.get("overrides");
            for (String key : overrides.entries("overrides").keySet()) {
                if (!Set.of("macros", "vars", "env_vars").contains(key)) {
                    throw overrides.get(key).error("unknown override '" + key + "' (known: macros, vars, env_vars)");
                }
            }
            out.add(new UnitTestSpec(name, model, item.get("description").string("description", ""), List.copyOf(given),
                    fixture(item.get("expect"), name), config(overrides.get("macros")), config(overrides.get("vars")),
                    config(overrides.get("env_vars")), config(item.get("config")), item.location(), include, exclude, null));
        }
        return out;
    }

    /** A versions include or exclude list: version numbers or names, compared as text as the model's versions are. */
    private static List<String> versionList(Yaml y, String test) {
        List<String> out = new ArrayList<>();
        for (Yaml v : y.items("versions of unit test '" + test + "'")) {
            Object o = v.value();
            if (o == null || o instanceof Map || o instanceof List) throw v.error("unit test '" + test + "': a version must be a number or name");
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }

    /** rows in dict, csv or sql format, written inline or (csv, sql) in the fixture file that fixture: names. */
    @SuppressWarnings("unchecked")
    private UnitTestSpec.Fixture fixture(Yaml y, String test) {
        if (!y.isMap()) throw y.error("a fixture of unit test '" + test + "' must be a mapping with rows (and format)");
        String format = y.get("format").string("format", "dict");
        if (y.has("fixture")) return fixtureFile(y, test, format);
        Yaml rows = y.get("rows");
        switch (format) {
            case "dict" -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Yaml r : rows.items("rows")) {
                    if (!r.isMap()) throw r.error("each row of unit test '" + test + "' must be a mapping of column to value");
                    out.add((Map<String, Object>) r.value());
                }
                return new UnitTestSpec.Fixture(format, List.copyOf(out), null, y.location());
            }
            case "csv" -> {
                String text = rows.string("rows");
                if (text == null) throw y.error("csv rows of unit test '" + test + "' must be text with a header line");
                return new UnitTestSpec.Fixture(format, null, text, rows.location());
            }
            case "sql" -> {
                String sql = rows.string("rows");
                if (sql == null || sql.isBlank()) throw y.error("sql rows of unit test '" + test + "' must be a query");
                return new UnitTestSpec.Fixture(format, null, sql, rows.location());
            }
            default -> throw y.get("format").error("unknown fixture format '" + format + "' (known: dict, csv, sql)");
        }
    }

    private UnitTestSpec.Fixture fixtureFile(Yaml y, String test, String format) {
        String name = y.get("fixture").string("fixture");
        if (y.has("rows")) {
            throw y.get("fixture").error("unit test '" + test + "' gives both rows and fixture: one or the other");
        }
        if (!format.equals("csv") && !format.equals("sql")) {
            throw y.get("fixture").error("unit test '" + test + "': fixture files are csv or sql; add format: csv or "
                    + "format: sql (format " + format + " takes rows written inline)");
        }
        Path file = fixtures.find(name, format);
        if (file == null) {
            throw y.get("fixture").error("unit test '" + test + "': no fixture file " + name + "." + format
                    + " in the fixtures folder of the test paths (tests/fixtures/); " + format + " fixtures there: "
                    + fixtures.known(format));
        }
        String text = fixtures.text(file);
        if (text.isBlank()) throw new ConfigException("fixture file of unit test '" + test + "' is empty", SourceLocation.of(file, 1));
        return new UnitTestSpec.Fixture(format, null, text, SourceLocation.of(file, 1));
    }

    private static final Set<String> RENDERED_SECTIONS = Set.of("models", "seeds", "snapshots", "sources", "analyses");
    private static final Set<Object> LATE = Set.of("tests", "data_tests", "description", "loaded_at_query");

    /**
     * Whether a value at this key path is rendered now, following dbt's SchemaYamlRenderer: descriptions
     * (rendered with doc() later), tests (rendered when the test compiles) and hooks (rendered per run) are not.
     */
    static boolean rendersAt(List<Object> path) {
        // A unit test's config is rendered (dbt's UnitTestParser renders it; audit_helper sets its tags so), its
        // fixtures and overrides are not.
        if (!path.isEmpty() && path.get(0).equals("unit_tests")) return path.size() >= 4 && "config".equals(path.get(2));
        if (path.size() < 3) return path.isEmpty() || RENDERED_SECTIONS.contains(path.get(0));
        if (!RENDERED_SECTIONS.contains(path.get(0))) return false; // operators and segments keep their text
        List<Object> kp = path.subList(2, path.size());
        if (path.get(0).equals("sources")) {
            if (kp.get(0).equals("description") || kp.get(0).equals("loaded_at_query")) return false;
            return !kp.get(0).equals("tables") || kp.size() < 3 || !late(kp.subList(2, kp.size()));
        }
        return !late(kp);
    }

    private static boolean late(List<Object> kp) {
        if (!kp.isEmpty() && LATE.contains(kp.get(0))) return true;
        if (kp.size() == 2 && LATE.contains(kp.get(1))) return true;
        if (kp.size() >= 2 && kp.get(0).equals("config")
                && Set.of("pre_hook", "post_hook", "pre-hook", "post-hook").contains(kp.get(1))) {
            return true;
        }
        if (kp.size() == 5 && "description".equals(kp.get(4))) return true;
        return kp.size() >= 3 && Set.of("columns", "dimensions", "measures", "entities").contains(kp.get(0))
                && Set.of("tests", "data_tests", "description").contains(kp.get(2));
    }

    /** Unknown blocks, properties and configs: each a warning with file and line, never silently dropped. */
    private static void check(Yaml root, List<String> warnings) {
        if (!root.isMap()) return;
        for (Map.Entry<String, Yaml> e : root.entries("schema file").entrySet()) {
            String key = e.getKey();
            SourceLocation at = e.getValue().isNull() ? root.location()
                    : new SourceLocation(e.getValue().file(), e.getValue().location().line(), 0);
            if (KnownKeys.SCHEMA_FILE_NOT_READ.contains(key)) {
                warnings.add(at + ": '" + key + ":' blocks are not supported yet; this one is ignored");
            } else if (!KnownKeys.SCHEMA_FILE.contains(key)) {
                warnings.add(at + ": unknown block '" + key + ":', ignored"
                        + KnownKeys.didYouMean(key, KnownKeys.SCHEMA_FILE));
            }
        }
        for (String section : List.of("models", "seeds", "snapshots", "analyses")) {
            Yaml list = root.get(section);
            if (!list.isList()) continue;
            for (Yaml item : list.items(section)) {
                if (!item.isMap()) continue;
                String what = section.substring(0, section.length() - 1) + " '" + item.get("name").string("name", "?") + "'";
                KnownKeys.checkMapping(item, KnownKeys.RESOURCE, what, warnings);
                KnownKeys.checkConfig(item.get("config"), what, warnings);
                checkColumns(item.get("columns"), what, warnings);
            }
        }
        Yaml operators = root.get("operators");
        if (operators.isList()) {
            for (Yaml op : operators.items("operators")) {
                if (!op.isMap()) continue;
                String what = "operator '" + op.get("name").string("name", "?") + "'";
                KnownKeys.checkMapping(op, KnownKeys.OPERATOR, what, warnings);
                if (!op.get("outputs").isList()) continue;
                for (Yaml o : op.get("outputs").items("outputs")) {
                    KnownKeys.checkMapping(o, KnownKeys.OPERATOR_OUTPUT, "an output of " + what, warnings);
                }
            }
        }
        Yaml sources = root.get("sources");
        if (sources.isList()) {
            for (Yaml src : sources.items("sources")) {
                if (!src.isMap()) continue;
                String what = "source '" + src.get("name").string("name", "?") + "'";
                KnownKeys.checkMapping(src, KnownKeys.SOURCE, what, warnings);
                KnownKeys.checkConfig(src.get("config"), what, warnings);
                eventTimeOfSource(src, what, warnings);
                if (!src.get("tables").isList()) continue;
                for (Yaml t : src.get("tables").items("tables")) {
                    if (!t.isMap()) continue;
                    String table = what + " table '" + t.get("name").string("name", "?") + "'";
                    KnownKeys.checkMapping(t, KnownKeys.SOURCE_TABLE, table, warnings);
                    KnownKeys.checkConfig(t.get("config"), table, warnings);
                    eventTimeOfSource(t, table, warnings);
                    checkColumns(t.get("columns"), table, warnings);
                }
            }
        }
    }

    /** Microbatch models filter ref()s by event_time; sources are read whole here, which a warning says. */
    private static void eventTimeOfSource(Yaml owner, String what, List<String> warnings) {
        Yaml et = owner.get("config").isMap() ? owner.get("config").get("event_time") : null;
        if (et != null && !et.isNull()) {
            warnings.add(new SourceLocation(et.file(), et.location().line(), 0) + ": event_time of " + what
                    + " is not applied: microbatch models read sources whole (only ref()s are filtered per batch)");
        }
    }

    private static void checkColumns(Yaml columns, String what, List<String> warnings) {
        if (!columns.isList()) return;
        for (Yaml c : columns.items("columns")) {
            if (c.isMap()) KnownKeys.checkMapping(c, KnownKeys.COLUMN, "column '" + c.get("name").string("name", "?")
                    + "' of " + what, warnings);
        }
    }

    private List<SegmentSpec> segments(Yaml list) {
        List<SegmentSpec> out = new ArrayList<>();
        for (Yaml item : list.items("segments")) {
            if (!item.isMap()) throw item.error("each segment must be a mapping with name, from and where");
            Map<String, SourceLocation> keys = item.keyLocations();
            for (Map.Entry<String, SourceLocation> k : keys.entrySet()) {
                if (!SegmentSpec.KEYS.contains(k.getKey())) {
                    throw new ConfigException("unknown key '" + k.getKey() + "' in a segment" + KnownKeys.didYouMean(k.getKey(), SegmentSpec.KEYS)
                            + "; a segment takes " + String.join(", ", new java.util.TreeSet<>(SegmentSpec.KEYS)), k.getValue());
                }
            }
            String name = item.get("name").string("name");
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw item.error("a segment needs a name of letters, digits and underscores");
            }
            String template = item.get("template").string("template");
            String from = item.get("from").string("from");
            String where = item.get("where").string("where");
            SegmentSpec.Instance instance = null;
            if (template != null) {
                // The template is the criteria: a segment adding its own would leave one of them unread.
                for (String k : List.of("from", "where", "id_column")) {
                    if (keys.containsKey(k)) {
                        throw new ConfigException("segment '" + name + "' is cut from template '" + template + "', which gives its '"
                                + k + "'; remove it here or write the segment out without the template", keys.get(k));
                    }
                }
                Map<String, Object> values = new LinkedHashMap<>();
                Map<String, SourceLocation> at = new LinkedHashMap<>();
                for (Map.Entry<String, Yaml> v : item.get("parameters").entries("parameters of segment '" + name + "'").entrySet()) {
                    if (!v.getValue().isNull() && !v.getValue().isScalar()) {
                        throw v.getValue().error("parameter '" + v.getKey() + "' of segment '" + name + "' must be a single value");
                    }
                    values.put(v.getKey(), v.getValue().value());
                    at.put(v.getKey(), v.getValue().isNull() ? item.get("parameters").keyLocations().get(v.getKey()) : v.getValue().location());
                }
                instance = new SegmentSpec.Instance(template, values, at, null, null);
            } else {
                if (keys.containsKey("parameters")) {
                    throw new ConfigException("segment '" + name + "' has parameters but no 'template' to give them to", keys.get("parameters"));
                }
                if (from == null) throw item.error("segment '" + name + "' needs 'from': the model its members come from");
                if (where == null || where.isBlank()) throw item.error("segment '" + name + "' needs 'where': its criteria");
            }
            Map<String, String> audienceIds = new LinkedHashMap<>();
            for (Map.Entry<String, Yaml> d : item.get("audience_ids").entries("audience_ids of segment '" + name + "'").entrySet()) {
                String id = d.getValue().string("audience id");
                if (id == null || id.isBlank()) throw d.getValue().error("segment '" + name + "': destination '" + d.getKey() + "' needs an audience id");
                audienceIds.put(d.getKey(), id);
            }
            out.add(new SegmentSpec(name, item.get("description").string("description", ""), from, where,
                    item.get("id_column").string("id_column", "customer_id"),
                    ProjectConfigLoader.strings(item.get("columns"), "columns", List.of()),
                    item.get("schedule").string("schedule"), segmentType(item, name), audienceIds, config(item.get("config")),
                    item.location(), instance));
        }
        return out;
    }

    /** A segment's (or template's) type: one of seed 002 wf08's four, or null when not given. */
    static String segmentType(Yaml item, String name) {
        String type = item.get("type").string("type");
        if (type == null) return null;
        // Both spellings are in use; the American one (dbt's docs, seed 002) is kept.
        String t = type.equals("behavioural") ? "behavioral" : type;
        if (!SegmentSpec.TYPES.contains(t)) {
            throw new ConfigException("segment '" + name + "' has type '" + type + "'; the types are "
                    + String.join(", ", SegmentSpec.TYPES), item.keyLocations().get("type"));
        }
        return t;
    }

    private List<OperatorSpec> operators(Yaml list) {
        List<OperatorSpec> out = new ArrayList<>();
        for (Yaml item : list.items("operators")) {
            if (!item.isMap()) throw item.error("each operator must be a mapping with name, type and outputs");
            String name = item.get("name").string("name");
            if (name == null) throw item.error("an operator has no name");
            String type = item.get("type").string("type");
            if (type == null) throw item.error("operator '" + name + "' has no type");
            List<String> outputs = new ArrayList<>();
            for (Yaml o : item.get("outputs").items("outputs of operator '" + name + "'")) {
                outputs.add(o.isMap() ? o.get("name").string("output name") : o.string("output name"));
            }
            // No outputs is allowed: an export writes files or calls a webhook and may keep no table.
            out.add(new OperatorSpec(name, type, item.get("description").string("description", ""),
                    config(item.get("config")), item.get("sql").string("sql", ""),
                    ProjectConfigLoader.strings(item.get("depends_on"), "depends_on", List.of()), outputs, item.location()));
        }
        return out;
    }

    private List<ResourceSpec> resources(Yaml list, String what) {
        List<ResourceSpec> out = new ArrayList<>();
        for (Yaml item : list.items(what)) {
            if (!item.isMap()) throw item.error("each entry of '" + what + "' must be a mapping with a name");
            String name = item.get("name").string("name");
            if (name == null) throw item.error("an entry of '" + what + "' has no name");
            Map<String, Object> config = new LinkedHashMap<>(config(item.get("config")));
            List<Constraint> constraints = new ArrayList<>();
            for (Yaml k : item.get("constraints").items("constraints")) {
                constraints.add(Constraint.parse(k, true, what.substring(0, what.length() - 1) + " '" + name + "'"));
            }
            // Kept with the config, which every copy of the node carries; dbt has them on the node itself.
            if (!constraints.isEmpty()) config.put(CONSTRAINTS, List.copyOf(constraints));
            // Model versions ride with the config too; the loader turns them into one node per version.
            if (item.has("versions")) config.put(VERSIONS, versions(item.get("versions"), name));
            if (item.has("latest_version")) config.put("latest_version", item.get("latest_version").value());
            if (item.has("deprecation_date")) config.put("deprecation_date", String.valueOf(item.get("deprecation_date").value()));
            // dbt 1.9's YAML-defined snapshot: what it selects from; the loader makes it a snapshot node.
            if (what.equals("snapshots") && item.has("relation")) config.put(SNAPSHOT_RELATION, item.get("relation").string("relation"));
            // dbt takes access: and group: as properties of a model too; the config wins where both are set.
            for (String key : List.of("access", "group")) {
                if (item.has(key) && !config.containsKey(key)) config.put(key, item.get(key).string(key));
            }
            out.add(new ResourceSpec(name, item.get("description").string("description", ""),
                    config, columns(item.get("columns")), tests(item, null),
                    item.location()));
        }
        return out;
    }

    private List<SourceTable> sources(Yaml list, List<String> warnings) {
        List<SourceTable> out = new ArrayList<>();
        for (Yaml src : list.items("sources")) {
            String sourceName = src.get("name").string("name");
            if (sourceName == null) throw src.error("a source has no name");
            String schema = src.get("schema").string("schema", sourceName);
            String database = src.get("database").string("database", src.get("catalog").string("catalog"));
            for (Yaml t : src.get("tables").items("tables of source '" + sourceName + "'")) {
                String name = t.get("name").string("name");
                if (name == null) throw t.error("a table of source '" + sourceName + "' has no name");
                @SuppressWarnings("unchecked")
                Map<String, Object> meta = t.get("meta").isMap() ? (Map<String, Object>) t.get("meta").value() : Map.of();
                out.add(new SourceTable(sourceName, name, database, t.get("schema").string("schema", schema),
                        t.get("identifier").string("identifier", name), t.get("description").string("description", ""),
                        columns(t.get("columns")), tests(t, null), meta, t.location(), null,
                        SourceFreshness.of(src, t), t.has("external")
                                ? ExternalSpec.parse(t.get("external"), "source '" + sourceName + "." + name + "'", warnings)
                                : null));
            }
        }
        return out;
    }

    private List<ColumnSpec> columns(Yaml list) {
        return columns(list.items("columns").toArray(new Yaml[0]));
    }

    private List<ColumnSpec> columns(Yaml[] items) {
        List<ColumnSpec> out = new ArrayList<>();
        for (Yaml c : items) {
            String name = c.get("name").string("name");
            if (name == null) throw c.error("a column has no name");
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = c.get("meta").isMap() ? (Map<String, Object>) c.get("meta").value() : Map.of();
            List<Constraint> constraints = new ArrayList<>();
            for (Yaml k : c.get("constraints").items("constraints")) {
                constraints.add(Constraint.parse(k, false, "column '" + name + "'"));
            }
            out.add(new ColumnSpec(name, c.get("description").string("description", ""),
                    c.get("data_type").string("data_type"), meta, tests(c, name), List.copyOf(constraints),
                    Boolean.TRUE.equals(c.get("quote").value()) || "true".equalsIgnoreCase(String.valueOf(c.get("quote").value())),
                    ProjectConfigLoader.strings(c.get("tags"), "tags", List.of())));
        }
        return out;
    }

    private List<TestSpec> tests(Yaml owner, String column) {
        List<TestSpec> out = new ArrayList<>();
        for (String key : List.of("tests", "data_tests")) {
            for (Yaml t : owner.get(key).items(key)) out.add(test(t, column));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private TestSpec test(Yaml t, String column) {
        if (t.isScalar()) {
            return new TestSpec(t.string("test"), null, column, Map.of(), Map.of(), t.location());
        }
        Map<String, Yaml> entries = t.entries("test");
        if (entries.size() != 1) {
            throw t.error("a test must be a name or a single 'test_name: {arguments}' mapping, got keys " + entries.keySet());
        }
        Map.Entry<String, Yaml> e = entries.entrySet().iterator().next();
        Yaml body = e.getValue();
        if (!body.isNull() && !body.isMap()) throw body.error("arguments of test '" + e.getKey() + "' must be a mapping");
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, Object> config = new LinkedHashMap<>();
        String customName = null;
        String testName = e.getKey();
        for (Map.Entry<String, Yaml> a : body.entries("test arguments").entrySet()) {
            String k = a.getKey();
            Object v = a.getValue().value();
            switch (k) {
                case "config" -> {
                    if (!(v instanceof Map)) throw a.getValue().error("test config must be a mapping");
                    config.putAll((Map<String, Object>) v);
                }
                case "arguments" -> {
                    if (!(v instanceof Map)) throw a.getValue().error("test arguments must be a mapping");
                    args.putAll((Map<String, Object>) v);
                }
                case "name" -> customName = String.valueOf(v);
                case "test_name" -> testName = String.valueOf(v);
                case "column_name" -> column = String.valueOf(v);
                default -> {
                    if (TEST_CONFIG_KEYS.contains(k)) config.put(k, v);
                    else args.put(k, v);
                }
            }
        }
        return new TestSpec(testName, customName, column, args, config, body.isNull() ? t.location() : body.location());
    }

    static Map<String, Object> config(Yaml y) {
        if (y.isNull()) return Map.of();
        if (!y.isMap()) throw y.error("config must be a mapping");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) y.value();
        return m;
    }
}
