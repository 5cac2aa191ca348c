package io.bellwether.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads an OCI image tarball (index, manifest, config, layers) the way a container runtime would, with only the JDK. */
final class OciTarball {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file in a layer: its path, mode, owner and (for small files) content. */
    record Entry(String path, int mode, int uid, int gid, char type, long size, byte[] content) {
    }

    private final Map<String, byte[]> files;

    private OciTarball(Map<String, byte[]> files) {
        this.files = files;
    }

    static OciTarball read(Path tarball) throws IOException {
        try (InputStream in = Files.newInputStream(tarball)) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Entry e : entries(in, Long.MAX_VALUE)) {
                if (e.type == '0' || e.type == 0) {
                    files.put(e.path, e.content);
                }
            }
            return new OciTarball(files);
        }
    }

    JsonNode manifest() throws IOException {
        JsonNode index = JSON.readTree(files.get("index.json"));
        return blobJson(index.get("manifests").get(0).get("digest").asText());
    }

    JsonNode config() throws IOException {
        return blobJson(manifest().get("config").get("digest").asText());
    }

    /** Every layer's entries, base first. */
    List<List<Entry>> layers() throws IOException {
        List<List<Entry>> out = new ArrayList<>();
        for (JsonNode layer : manifest().get("layers")) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(blob(layer.get("digest").asText())))) {
                out.add(entries(in, 64 * 1024));
            }
        }
        return out;
    }

    private JsonNode blobJson(String digest) throws IOException {
        return JSON.readTree(blob(digest));
    }

    private byte[] blob(String digest) {
        byte[] content = files.get("blobs/sha256/" + digest.substring("sha256:".length()));
        if (content == null) {
            throw new IllegalStateException("blob " + digest + " missing from the tarball");
        }
        return content;
    }

    /** POSIX ustar entries; contents kept up to {@code keepUpTo} bytes (larger files keep none). */
    private static List<Entry> entries(InputStream in, long keepUpTo) throws IOException {
        List<Entry> out = new ArrayList<>();
        byte[] header = new byte[512];
        String longName = null;
        while (in.readNBytes(header, 0, 512) == 512) {
            if (header[0] == 0) {
                break;
            }
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            byte[] data = readBody(in, size, type == 'L' || size <= keepUpTo);
            if (type == 'L') {
                longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            out.add(new Entry(name.startsWith("./") ? name.substring(2) : name, (int) octal(header, 100, 8), (int) octal(header, 108, 8),
                    (int) octal(header, 116, 8), type, size, data));
        }
        return out;
    }

    private static byte[] readBody(InputStream in, long size, boolean keep) throws IOException {
        long padded = (size + 511) / 512 * 512;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long left = padded;
        long wanted = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("truncated tar");
            }
            if (keep && wanted > 0) {
                kept.write(buffer, 0, (int) Math.min(n, wanted));
            }
            wanted -= n;
            left -= n;
        }
        return keep ? kept.toByteArray() : null;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String s = text(header, offset, length).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
