package io.focus.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each configuration default lives in exactly one module's {@code reference.conf}: two defaults for one key would
 * depend on the class-path order to decide which one the daemon runs with.
 */
class ReferenceConfTest {

    @Test
    void noKeyHasADefaultInTwoModules() throws Exception {
        Map<String, List<String>> owners = new TreeMap<>();
        List<URL> ours = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("reference.conf"))) {
            if (!url.toString().contains("focus-")) {
                continue; // a library's own reference.conf (e.g. Typesafe Config's tests, none today)
            }
            ours.add(url);
            Config c = ConfigFactory.parseURL(url, ConfigParseOptions.defaults()).resolve();
            for (var e : c.entrySet()) {
                owners.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(module(url));
            }
        }
        // a scan that found only a few files would pass for the wrong reason
        assertTrue(ours.size() >= 5, "reference.conf of core, health, selection, conference and app, found " + ours);
        Map<String, List<String>> twice = new TreeMap<>();
        owners.forEach((k, v) -> {
            if (v.size() > 1) {
                twice.put(k, v);
            }
        });
        assertEquals(Map.of(), twice, "keys with a default in more than one reference.conf");
    }

    private static String module(URL url) {
        String s = url.toString();
        int i = s.indexOf("focus-");
        int j = s.indexOf('/', i);
        return j < 0 ? s.substring(i) : s.substring(i, j);
    }
}
