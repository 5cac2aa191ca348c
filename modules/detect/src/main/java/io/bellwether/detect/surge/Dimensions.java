package io.bellwether.detect.surge;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared dimensions a surge is counted on, and their keys: {@code category:<v>}, {@code ci:<v>},
 * {@code vendor:<v>}. The surge stage counts on them and the ticket stage looks inhibitions up by them.
 */
public final class Dimensions {
    private Dimensions() {
    }

    /** Keys of the enabled dimensions (names as in the rules: category, configurationItem, vendor) a ticket has. */
    public static List<String> keys(List<String> enabled, String category, String configurationItem, String vendor) {
        List<String> keys = new ArrayList<>(3);
        if (category != null && enabled.contains("category")) {
            keys.add("category:" + category);
        }
        if (configurationItem != null && enabled.contains("configurationItem")) {
            keys.add("ci:" + configurationItem);
        }
        if (vendor != null && enabled.contains("vendor")) {
            keys.add("vendor:" + vendor);
        }
        return keys;
    }
}
