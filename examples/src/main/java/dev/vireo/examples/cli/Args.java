package dev.vireo.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small parser for {@code --flag}, {@code --key value} (repeatable) and positional arguments,
 * checked against the options a command declares so a typo is an error, not a silent default.
 */
final class Args {
    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {}

    /** Parses {@code args}; {@code flags} take no value, {@code valued} take one. */
    static Args parse(List<String> args, Set<String> flags, Set<String> valued) {
        Args out = new Args();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                String key = a.substring(2);
                String value = null;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                if (flags.contains(key)) {
                    if (value != null) throw new UsageException("--" + key + " takes no value");
                    out.options.computeIfAbsent(key, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(key)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) throw new UsageException("--" + key + " needs a value");
                        value = args.get(++i);
                    }
                    out.options.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option --" + key);
                }
            } else {
                out.positional.add(a);
            }
        }
        return out;
    }

    boolean flag(String key) {
        return options.containsKey(key);
    }

    String value(String key, String fallback) {
        List<String> v = options.get(key);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    List<String> values(String key) {
        return options.getOrDefault(key, List.of());
    }

    int intValue(String key, int fallback) {
        String v = value(key, null);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects a whole number, got '" + v + "'");
        }
    }

    double doubleValue(String key, double fallback) {
        String v = value(key, null);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects a number, got '" + v + "'");
        }
    }

    List<String> positional() {
        return positional;
    }
}
