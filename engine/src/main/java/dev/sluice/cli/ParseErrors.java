package dev.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A command-line mistake as one line: what was wrong, where, and the nearest valid spelling. */
final class ParseErrors {
    private static final Pattern UNKNOWN = Pattern.compile("Unknown options?: '([^']*)'");

    private ParseErrors() {
    }

    static String oneLine(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        CommandSpec spec = cl.getCommandSpec();
        String where = spec.qualifiedName(" ");
        String message = e.getMessage().lines().findFirst().orElse("").strip();
        if (e instanceof UnmatchedArgumentException u) {
            String token = u.getUnmatched().stream().filter(x -> !x.isEmpty()).findFirst().orElse(null);
            Matcher m = UNKNOWN.matcher(message);
            // After a list option (-s a b --emtpy) picocli reports the token only in its message.
            if (m.find()) token = m.group(1);
            if (token == null) return "Usage Error: " + message;
            boolean option = token.startsWith("-");
            String name = option ? token.split("=", 2)[0] : token;
            List<String> candidates = new ArrayList<>();
            if (option) {
                for (OptionSpec o : spec.options()) candidates.addAll(List.of(o.names()));
                message = "unknown option '" + name + "' for '" + where + "'";
            } else if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
                candidates.addAll(spec.subcommands().keySet());
                message = "unknown command '" + name + "' for '" + where + "'";
            } else {
                message = "unexpected argument '" + name + "' for '" + where + "'";
            }
            List<String> near = nearest(name, candidates);
            if (!near.isEmpty()) message += "; did you mean " + String.join(" or ", near) + "?";
            else message += " (see '" + where + " --help')";
        }
        return "Usage Error: " + message;
    }

    /** Up to two candidates within a few edits of the word, closest first. */
    static List<String> nearest(String word, List<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, w.replace("-", "").length() / 3);
        return candidates.stream().distinct()
                .filter(c -> dev.sluice.error.EditDistance.of(w, c.toLowerCase(Locale.ROOT)) <= limit)
                .sorted(Comparator.comparingInt(c -> dev.sluice.error.EditDistance.of(w, c.toLowerCase(Locale.ROOT))))
                .limit(2).toList();
    }

}
