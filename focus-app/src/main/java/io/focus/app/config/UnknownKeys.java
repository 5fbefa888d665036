package io.focus.app.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keys under {@code jicofo} and {@code focus} that nobody reads: a typo ({@code helth-checks}), a key in the wrong
 * place, or a Jicofo setting the focus does not know. Each is one warning naming the key, where it was set and, when a
 * known key is close enough ({@link KeySuggestion}), what was probably meant. The warning names the outermost unknown
 * key only: {@code jicofo.bridge.helth-checks { interval = 5s, enabled = true }} is one warning about
 * {@code jicofo.bridge.helth-checks}. Jicofo's settings for what the focus does not do are left to
 * {@link UnsupportedJicofoKeys}, which says more than "unknown".
 */
final class UnknownKeys {
    private UnknownKeys() {}

    /** The warnings for {@code config} (the merged configuration, defaults included) against what the focus reads. */
    static List<String> warnings(Config config, KnownKeys known) {
        List<String> out = new ArrayList<>();
        Set<String> candidates = known.all();
        for (String root : List.of("jicofo", "focus")) {
            ConfigValue v = config.root().get(root);
            if (v instanceof ConfigObject o) {
                walk(List.of(root), o, known, candidates, out);
            }
        }
        return out;
    }

    private static void walk(List<String> path, ConfigObject object, KnownKeys known, Set<String> candidates,
                             List<String> out) {
        for (Map.Entry<String, ConfigValue> e : new TreeMap<>(object).entrySet()) {
            List<String> childPath = new ArrayList<>(path);
            childPath.add(e.getKey());
            String key = ConfigUtil.joinPath(childPath);
            ConfigValue value = e.getValue();
            if (known.leaf(key) || UnsupportedJicofoKeys.covers(key)) {
                continue;
            }
            if (known.object(key)) {
                if (value.valueType() == ConfigValueType.OBJECT) {
                    walk(childPath, (ConfigObject) value, known, candidates, out);
                } else {
                    List<String> under = candidates.stream().filter(k -> k.startsWith(key + ".") && known.leaf(k))
                            .limit(3).toList();
                    out.add(key + " (" + value.origin().description() + ") is set to a value, but the focus reads "
                            + "the keys under it (" + String.join(", ", under) + ", ...); it is ignored");
                }
                continue;
            }
            out.add(key + " (" + value.origin().description() + ") is not a setting of the focus and is ignored"
                    + KeySuggestion.didYouMean(key, candidates, '.'));
        }
    }
}
