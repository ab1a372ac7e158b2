package dev.sluice.template;

import java.util.List;

/** Jinja's `loop` variable inside a for loop; its attributes and methods are resolved in JinjaAttributes. */
final class JinjaLoop {
    private final List<Object> items;
    int index0;
    private Object lastChanged;
    private boolean changedCalled;

    JinjaLoop(List<Object> items) {
        this.items = items;
    }

    /** loop.name, or JinjaAttributes.UNKNOWN_MARKER when Jinja's loop has no such attribute. */
    Object attribute(String name, Object unknown) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            // Undefined at the ends in Jinja, which prints empty (None would print 'None').
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : "";
            case "nextitem" -> index0 + 1 < n ? items.get(index0 + 1) : "";
            case "depth" -> 1L;
            case "depth0" -> 0L;
            default -> unknown;
        };
    }

    /** loop.cycle(a, b, ...) and loop.changed(value). */
    Object method(String name, List<Object> args, Object unknown) {
        switch (name) {
            case "cycle":
                if (args.isEmpty()) throw new IllegalArgumentException("loop.cycle() needs at least one value");
                return args.get(index0 % args.size());
            case "changed": {
                Object value = args.size() == 1 ? args.get(0) : args;
                boolean changed = !changedCalled || !Values.equal(value, lastChanged);
                changedCalled = true;
                lastChanged = value;
                return changed;
            }
            default:
                return unknown;
        }
    }

    @Override
    public String toString() {
        return "<LoopContext " + (index0 + 1) + "/" + items.size() + ">";
    }
}
