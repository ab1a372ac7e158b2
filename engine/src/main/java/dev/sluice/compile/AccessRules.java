package dev.sluice.compile;

import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;
import dev.sluice.project.Project;
import dev.sluice.project.ProjectConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * dbt's groups and model access, checked once every node's refs and configs are known: a model's group must be
 * declared; a private model may be ref'd only from its own group (a test from the group of what it tests); a
 * protected one (the default) only from its own package when that package sets restrict-access.
 */
final class AccessRules {
    private static final Set<String> ACCESS = Set.of("private", "protected", "public");

    private AccessRules() {
    }

    /**
     * @param config    a node's final config (in-file config() merged) by unique id
     * @param dependsOn a node's parents by unique id
     */
    static void check(Project project, List<Node> nodes, Function<String, Map<String, Object>> config,
                      Function<String, List<String>> dependsOn) {
        Map<String, Node> byId = new java.util.HashMap<>();
        nodes.forEach(n -> byId.put(n.uniqueId(), n));
        for (Node n : nodes) {
            Map<String, Object> c = config.apply(n.uniqueId());
            String group = str(c.get("group"));
            if (group != null && !project.groups().containsKey(group)) {
                throw new ConfigException(n.type().label() + " '" + n.name() + "' is in group '" + group + "', which no "
                        + "groups: block declares" + dev.sluice.project.KnownKeys.didYouMean(group, project.groups().keySet()),
                        SourceLocation.of(n.file()));
            }
            if (n.type() != NodeType.MODEL) continue;
            String access = str(c.get("access"));
            if (access != null && !ACCESS.contains(access)) {
                throw new ConfigException("access of model '" + n.name() + "' must be private, protected or public, not '"
                        + access + "'", SourceLocation.of(n.file()));
            }
            if ("private".equals(access) && group == null) {
                throw new ConfigException("model '" + n.name() + "' has private access but no group: private means "
                        + "visible to its group only", SourceLocation.of(n.file()));
            }
        }
        for (Node n : nodes) {
            for (String parentId : dependsOn.apply(n.uniqueId())) {
                Node target = byId.get(parentId);
                if (target == null || target.type() != NodeType.MODEL) continue;
                Map<String, Object> tc = config.apply(parentId);
                String access = str(tc.get("access"));
                String scope;
                if ("private".equals(access)) {
                    String mine = groupOf(n, config, byId);
                    boolean restrict = restrictsAccess(project, target.packageName());
                    if (mine != null && mine.equals(str(tc.get("group")))
                            && !(restrict && !n.packageName().equals(target.packageName()))) {
                        continue;
                    }
                    scope = "private to the '" + str(tc.get("group")) + "' group";
                } else if ((access == null || "protected".equals(access))
                        && !n.packageName().equals(target.packageName()) && restrictsAccess(project, target.packageName())) {
                    scope = "protected to the '" + target.packageName() + "' package";
                } else {
                    continue;
                }
                throw new CompilationException("Node " + n.uniqueId() + " attempted to reference node " + parentId
                        + ", which is not allowed because the referenced node is " + scope,
                        new SourceLocation(n.file(), n.lineOffset() + 1, 0));
            }
        }
    }

    /** A test is in the group of the node it tests, unless its own config says otherwise. */
    private static String groupOf(Node n, Function<String, Map<String, Object>> config, Map<String, Node> byId) {
        String own = str(config.apply(n.uniqueId()).get("group"));
        if (own != null || n.testedId() == null || !byId.containsKey(n.testedId())) return own;
        if (n.type() != NodeType.TEST && n.type() != NodeType.UNIT_TEST) return null;
        return str(config.apply(n.testedId()).get("group"));
    }

    private static boolean restrictsAccess(Project project, String pkg) {
        ProjectConfig pc = project.configOf(pkg);
        if (pc == null || pc == project.config()) return false;
        Object v = dev.sluice.project.Yaml.load(pc.file()).get("restrict-access").value();
        return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
    }

    private static String str(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString().strip();
    }
}
