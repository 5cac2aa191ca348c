package io.bellwether.detect.surge;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared dimensions a surge is counted on, and their keys: {@code category:<v>}, {@code ci:<v>},
 * {@code vendor:<v>}. The surge stage counts on them and the ticket stage looks inhibitions up by them. Security bursts
 * are counted in the same stage on {@code security:<indicator>} (across accounts) and {@code security-account:<id>}.
 */
public final class Dimensions {
    private Dimensions() {
    }

    static final String SECURITY = "security:";
    static final String SECURITY_ACCOUNT = "security-account:";

    /** Keys a ticket's first matches of security indicators count on: each indicator's, and its account's once. */
    public static List<String> securityKeys(List<String> indicators, String accountId) {
        if (indicators.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(indicators.size() + 1);
        indicators.forEach(indicator -> keys.add(SECURITY + indicator));
        if (accountId != null) {
            keys.add(SECURITY_ACCOUNT + accountId);
        }
        return keys;
    }

    static boolean isSecurity(String key) {
        return key.startsWith(SECURITY) || key.startsWith(SECURITY_ACCOUNT);
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
