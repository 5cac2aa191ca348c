package io.bellwether.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.bellwether.common.json.Json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Webhook bodies are read strictly: what a lenient reader would repair silently is refused with the reason, because a
 * repaired id or name is not what the PSA sent. Malformed or overlong UTF-8 (an overlong {@code \xc0\xaf} is a classic
 * way to smuggle a '/'), data after the JSON value, and an escaped lone surrogate (which would become '?' on the topic)
 * are each a 400.
 */
final class StrictJson {
    static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {
    }

    /** The JDK's decoder refuses overlong forms, encoded surrogates and truncated sequences; it reports where. */
    static void checkUtf8(byte[] body) throws Rejection {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
            while (true) {
                CoderResult result = decoder.decode(in, out, true);
                if (result.isError()) {
                    throw Rejection.of(400, Rejection.INVALID_ENCODING, "The body is not valid UTF-8 at byte " + in.position());
                }
                if (result.isUnderflow()) {
                    break;
                }
                out.clear();
            }
            out.clear();
            CoderResult end = decoder.flush(out);
            if (end.isError()) {
                end.throwException();
            }
        } catch (CharacterCodingException e) {
            throw Rejection.of(400, Rejection.INVALID_ENCODING, "The body is not valid UTF-8: " + e.getMessage());
        }
    }

    /** Every string and field name, walked once: a high surrogate without its low one (or the reverse) is refused. */
    static void checkSurrogates(JsonNode node, String path) throws Rejection {
        if (node.isTextual()) {
            check(node.textValue(), path);
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                check(field.getKey(), path + " (a field name)");
                checkSurrogates(field.getValue(), path + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkSurrogates(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static void check(String text, String path) throws Rejection {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw Rejection.of(400, Rejection.INVALID_ENCODING, (path.length() > 80 ? path.substring(0, 80) + "…" : path) + " holds a lone UTF-16 surrogate (U+"
                        + String.format("%04X", (int) c) + "), which no valid text contains");
            }
        }
    }
}
