package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Master segments and segment templates (seed 002 wf08/wf09): reading their entries, and turning a segment that
 * names a template into a full segment, with every parameter checked (given, declared, of its type) before
 * anything is compiled.
 */
final class SegmentTemplates {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** How a template's SQL reads a parameter: params.NAME or params['NAME']. */
    private static final Pattern REFERENCE = Pattern.compile("\\bparams\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*['\"]([^'\"]*)['\"]\\s*\\])");

    private SegmentTemplates() {
    }

    static List<MasterSegmentSpec> masters(Yaml list) {
        List<MasterSegmentSpec> out = new ArrayList<>();
        for (Yaml item : list.items("master_segments")) {
            if (!item.isMap()) throw item.error("each master segment must be a mapping with name and from");
            checkKeys(item, MasterSegmentSpec.KEYS, "a master segment");
            String name = name(item, "a master segment");
            String from = item.get("from").string("from");
            if (from == null) throw item.error("master segment '" + name + "' needs 'from': the model of its population");
            String id = item.get("id_column").string("id_column", "customer_id");
            Map<String, MasterSegmentSpec.Behavior> behaviors = new LinkedHashMap<>();
            for (Map.Entry<String, Yaml> b : item.get("behaviors").entries("behaviors of master segment '" + name + "'").entrySet()) {
                Yaml spec = b.getValue();
                if (!spec.isMap()) throw spec.error("behavior '" + b.getKey() + "' needs from: (its table) and may have id_column:");
                checkKeys(spec, Set.of("from", "id_column", "description"), "a behavior");
                String bFrom = spec.get("from").string("from");
                if (bFrom == null) throw spec.error("behavior '" + b.getKey() + "' of master segment '" + name + "' needs 'from': its table");
                behaviors.put(b.getKey(), new MasterSegmentSpec.Behavior(b.getKey(), bFrom,
                        spec.get("id_column").string("id_column", id), spec.location()));
            }
            out.add(new MasterSegmentSpec(name, item.get("description").string("description", ""), from, id,
                    blankToNull(item.get("where").string("where")),
                    ProjectConfigLoader.strings(item.get("attributes"), "attributes", List.of()), behaviors,
                    SchemaFileParser.config(item.get("config")), item.location()));
        }
        return out;
    }

    static List<SegmentTemplateSpec> templates(Yaml list) {
        List<SegmentTemplateSpec> out = new ArrayList<>();
        for (Yaml item : list.items("segment_templates")) {
            if (!item.isMap()) throw item.error("each segment template must be a mapping with name, master and parameters");
            checkKeys(item, SegmentTemplateSpec.KEYS, "a segment template");
            String name = name(item, "a segment template");
            String master = item.get("master").string("master");
            if (master == null) throw item.error("segment template '" + name + "' needs 'master': the master segment its segments are cut from");
            Map<String, SegmentTemplateSpec.Parameter> params = new LinkedHashMap<>();
            for (Map.Entry<String, Yaml> p : item.get("parameters").entries("parameters of segment template '" + name + "'").entrySet()) {
                Yaml spec = p.getValue();
                if (!NAME.matcher(p.getKey()).matches()) throw spec.error("parameter '" + p.getKey() + "' needs a name of letters, digits and underscores");
                // 'amount: number' or 'amount: {type: number, default: 100}'
                String type = spec.isMap() ? spec.get("type").string("type") : spec.string("type");
                if (spec.isMap()) checkKeys(spec, Set.of("type", "default", "description"), "a parameter");
                if (type == null || !SegmentTemplateSpec.TYPES.contains(type)) {
                    throw spec.error("parameter '" + p.getKey() + "' of segment template '" + name + "' needs a type: one of "
                            + String.join(", ", SegmentTemplateSpec.TYPES));
                }
                Object def = spec.isMap() ? spec.get("default").value() : null;
                if (def != null && !fits(type, def)) {
                    throw spec.get("default").error("default of parameter '" + p.getKey() + "' is " + show(def) + ", not " + article(type));
                }
                params.put(p.getKey(), new SegmentTemplateSpec.Parameter(p.getKey(), type, def, spec.location()));
            }
            String where = blankToNull(item.get("where").string("where"));
            String behavior = item.get("behavior").string("behavior");
            String behaviorWhere = blankToNull(item.get("behavior_where").string("behavior_where"));
            String having = blankToNull(item.get("having").string("having"));
            if (behavior == null && (behaviorWhere != null || having != null)) {
                throw item.error("segment template '" + name + "' has behavior_where or having but no 'behavior': the master's behaviour they apply to");
            }
            if (where == null && behavior == null) {
                throw item.error("segment template '" + name + "' needs criteria: 'where' (over the master's attributes), 'behavior' (with behavior_where, having), or both");
            }
            SegmentTemplateSpec t = new SegmentTemplateSpec(name, item.get("description").string("description", ""), master,
                    SchemaFileParser.segmentType(item, name), params, where, behavior, behaviorWhere, having,
                    ProjectConfigLoader.strings(item.get("columns"), "columns", List.of()), item.location());
            checkReferences(t);
            out.add(t);
        }
        return out;
    }

    /**
     * Each parameter the SQL reads is declared, and each declared one is read: one that changes nothing would give
     * segments that differ only in name.
     */
    private static void checkReferences(SegmentTemplateSpec t) {
        Set<String> used = new LinkedHashSet<>();
        for (String sql : new String[]{t.where(), t.behaviorWhere(), t.having()}) {
            if (sql == null) continue;
            Matcher m = REFERENCE.matcher(sql);
            while (m.find()) used.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        for (String u : used) {
            if (!t.parameters().containsKey(u)) {
                throw new ConfigException("segment template '" + t.name() + "' uses parameter '" + u + "' that it does not declare"
                        + KnownKeys.didYouMean(u, t.parameters().keySet()) + "; its parameters: "
                        + (t.parameters().isEmpty() ? "none" : String.join(", ", t.parameters().keySet())), t.location());
            }
        }
        for (SegmentTemplateSpec.Parameter p : t.parameters().values()) {
            if (!used.contains(p.name())) {
                throw new ConfigException("parameter '" + p.name() + "' of segment template '" + t.name()
                        + "' is not used in its where, behavior_where or having (read it as {{ params." + p.name() + " }})", p.location());
            }
        }
    }

    /**
     * The segment a template's instance stands for: the master as its source, the template's criteria, columns
     * and type (the segment's own win), its description filled in; the values checked against the declarations.
     */
    static SegmentSpec instantiate(SegmentSpec seg, Map<String, SegmentTemplateSpec> templates,
                                   Map<String, MasterSegmentSpec> masters) {
        SegmentSpec.Instance in = seg.instance();
        SegmentTemplateSpec t = templates.get(in.template());
        if (t == null) {
            throw new ConfigException("segment '" + seg.name() + "' names template '" + in.template() + "', which is not declared"
                    + KnownKeys.didYouMean(in.template(), templates.keySet()) + (templates.isEmpty() ? "; declare it under segment_templates:"
                    : "; the templates: " + String.join(", ", templates.keySet())), seg.location());
        }
        MasterSegmentSpec m = master(t.master(), masters, "segment template '" + t.name() + "'", t.location());
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> v : in.values().entrySet()) {
            SegmentTemplateSpec.Parameter p = t.parameters().get(v.getKey());
            if (p == null) {
                throw new ConfigException("segment '" + seg.name() + "' gives parameter '" + v.getKey() + "' that template '" + t.name()
                        + "' does not declare" + KnownKeys.didYouMean(v.getKey(), t.parameters().keySet()) + "; its parameters: "
                        + String.join(", ", t.parameters().keySet()), in.valueAt().get(v.getKey()));
            }
            if (v.getValue() == null || !fits(p.type(), v.getValue())) {
                throw new ConfigException("parameter '" + p.name() + "' of template '" + t.name() + "' is " + article(p.type())
                        + "; segment '" + seg.name() + "' gives " + show(v.getValue()), in.valueAt().get(v.getKey()));
            }
            values.put(p.name(), v.getValue());
        }
        for (SegmentTemplateSpec.Parameter p : t.parameters().values()) {
            if (values.containsKey(p.name())) continue;
            if (p.defaultValue() == null) {
                throw new ConfigException("segment '" + seg.name() + "' does not give parameter '" + p.name() + "' (" + p.type()
                        + ") of template '" + t.name() + "'", seg.location());
            }
            values.put(p.name(), p.defaultValue());
        }
        SegmentSpec.Behavior behavior = null;
        if (t.behavior() != null) {
            MasterSegmentSpec.Behavior b = m.behaviors().get(t.behavior());
            if (b == null) {
                throw new ConfigException("segment template '" + t.name() + "' uses behavior '" + t.behavior() + "', which master segment '"
                        + m.name() + "' does not have" + KnownKeys.didYouMean(t.behavior(), m.behaviors().keySet()) + "; its behaviors: "
                        + (m.behaviors().isEmpty() ? "none" : String.join(", ", m.behaviors().keySet())), t.location());
            }
            behavior = new SegmentSpec.Behavior(b.name(), b.from(), b.idColumn(), t.behaviorWhere(), t.having());
        }
        String description = seg.description().isEmpty() ? t.description() : seg.description();
        for (Map.Entry<String, Object> v : values.entrySet()) description = description.replace("{" + v.getKey() + "}", String.valueOf(v.getValue()));
        return new SegmentSpec(seg.name(), description, m.name(), t.where(), m.idColumn(),
                seg.columns().isEmpty() ? t.columns() : seg.columns(), seg.schedule(), seg.type() != null ? seg.type() : t.type(),
                seg.audienceIds(), seg.config(), seg.location(),
                new SegmentSpec.Instance(t.name(), java.util.Collections.unmodifiableMap(values), in.valueAt(), t.location(), behavior));
    }

    static MasterSegmentSpec master(String name, Map<String, MasterSegmentSpec> masters, String who, SourceLocation at) {
        MasterSegmentSpec m = masters.get(name);
        if (m == null) {
            throw new ConfigException(who + " names master segment '" + name + "', which is not declared"
                    + KnownKeys.didYouMean(name, masters.keySet()) + (masters.isEmpty() ? "; declare it under master_segments:"
                    : "; the master segments: " + String.join(", ", masters.keySet())), at);
        }
        return m;
    }

    static boolean fits(String type, Object v) {
        return switch (type) {
            case "string" -> v instanceof String;
            case "integer" -> v instanceof Long;
            case "number" -> v instanceof Long || v instanceof Double;
            case "boolean" -> v instanceof Boolean;
            case "date" -> v instanceof String s && isDate(s);
            default -> false;
        };
    }

    private static boolean isDate(String s) {
        try {
            java.time.LocalDate.parse(s);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    private static String article(String type) {
        return switch (type) {
            case "integer" -> "an integer";
            case "date" -> "a date (YYYY-MM-DD)";
            default -> "a " + type;
        };
    }

    private static String show(Object v) {
        if (v == null) return "nothing";
        return v instanceof String ? "'" + v + "'" : v + " (" + (v instanceof Boolean ? "a boolean" : v instanceof Double ? "a number" : "an integer") + ")";
    }

    private static String name(Yaml item, String what) {
        String name = item.get("name").string("name");
        if (name == null || !NAME.matcher(name).matches()) throw item.error(what + " needs a name of letters, digits and underscores");
        return name;
    }

    private static void checkKeys(Yaml item, Set<String> known, String what) {
        for (Map.Entry<String, SourceLocation> k : item.keyLocations().entrySet()) {
            if (!known.contains(k.getKey())) {
                throw new ConfigException("unknown key '" + k.getKey() + "' in " + what + KnownKeys.didYouMean(k.getKey(), known)
                        + "; " + what.replaceFirst("^an? ", "a ") + " takes " + String.join(", ", new java.util.TreeSet<>(known)), k.getValue());
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
