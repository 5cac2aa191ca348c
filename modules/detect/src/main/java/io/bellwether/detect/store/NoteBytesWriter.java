package io.bellwether.detect.store;

import io.bellwether.detect.state.TicketNote;
import io.bellwether.detect.state.UrgentTicket;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes the account, technician and surge states with each ticket note encoded once. An aggregate state holds
 * hundreds of notes (one per ticket in its windows) and is written back whole at every commit it changed in, while
 * only a few of its notes are new: live at 2,000 events/s, the commit's write-back was 44 % of the stream thread's
 * time and re-encoding the account and team states' notes 36 % (flight recording of 2026-12-07). Binary Avro is the concatenation of its fields, so a note's bytes, kept from its
 * first encoding, are written as they are: the result is byte for byte what the standard writer gives.
 *
 * <p>The rule that makes this safe: a note is never changed once built; a changed note is a new note (a copy with the
 * change), which gets its own bytes. Notes are recognised by identity, so an equal copy is encoded again, never
 * mistaken. With {@code -Dbellwether.verify-note-bytes=true} (the test suite sets it) every reuse is checked against a
 * fresh encoding, and a note changed in place fails the write instead of corrupting a changelog.
 *
 * <p>Each thread keeps its own bytes, by note, up to {@link #KEPT} notes; then it forgets them all at once (notes that
 * left every state are forgotten with them) and encodes the notes still written once more. Until then the notes that
 * left every state stay reachable from here: at most {@code KEPT} notes and their bytes, up to some 50 MB per stream thread.
 */
public final class NoteBytesWriter<T> extends SpecificDatumWriter<T> {
    /**
     * Notes whose bytes a thread keeps at most: more than a busy service's aggregate states hold at once (about 55,000
     * in the live bench), so the kept bytes are cleared only as notes that left every state pile up, every half minute
     * or so at 2,000 events/s, and the notes still held are encoded once more.
     */
    static final int KEPT = 131_072;
    private static final boolean VERIFY = Boolean.getBoolean("bellwether.verify-note-bytes");
    private static final Set<Class<?>> NOTES = Set.of(TicketNote.class, UrgentTicket.class);

    /** Records that hold notes somewhere below them: walked field by field, so each note is reached on its own. */
    private final Set<String> holders;
    private final ThreadLocal<KeptBytes> kept = ThreadLocal.withInitial(KeptBytes::new);

    public NoteBytesWriter(Schema schema, SpecificData model) {
        super(schema, model);
        this.holders = holdersOfNotes(schema);
    }

    @Override
    protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
        if (NOTES.contains(datum.getClass())) {
            out.writeFixed(kept.get().bytesOf(datum, schema, this::encode));
        } else if (holders.contains(schema.getFullName())) {
            for (Schema.Field field : schema.getFields()) {
                writeField(datum, field, out, null); // generated records keep no per-record state for their writer
            }
        } else {
            super.writeRecord(schema, datum, out);
        }
    }

    /** How many notes' bytes this thread keeps now. */
    int keptOnThisThread() {
        return kept.get().bytes.size();
    }

    private byte[] encode(Object note, Schema schema) {
        KeptBytes own = kept.get();
        own.buffer.reset();
        own.encoder = EncoderFactory.get().binaryEncoder(own.buffer, own.encoder);
        try {
            super.writeRecord(schema, note, own.encoder); // the generated encoder, as the standard writer uses
            own.encoder.flush();
        } catch (IOException | RuntimeException e) {
            own.encoder = null; // it may hold part of the failed note, which it would flush into the next one's buffer
            throw new IllegalStateException("cannot encode a " + schema.getName() + ": " + e.getMessage(), e);
        }
        return own.buffer.toByteArray();
    }

    private static Set<String> holdersOfNotes(Schema root) {
        Set<String> holders = new HashSet<>();
        holds(root, holders, new HashSet<>());
        return Set.copyOf(holders);
    }

    /** Whether {@code schema} is or contains a note; records that contain one are added to {@code holders}. */
    private static boolean holds(Schema schema, Set<String> holders, Set<String> visiting) {
        switch (schema.getType()) {
            case ARRAY:
                return holds(schema.getElementType(), holders, visiting);
            case MAP:
                return holds(schema.getValueType(), holders, visiting);
            case UNION: {
                boolean any = false;
                for (Schema branch : schema.getTypes()) {
                    any |= holds(branch, holders, visiting);
                }
                return any;
            }
            case RECORD: {
                if (NOTES.stream().anyMatch(note -> note.getName().equals(schema.getFullName()))) {
                    return true;
                }
                if (!visiting.add(schema.getFullName())) {
                    return holders.contains(schema.getFullName());
                }
                boolean any = false;
                for (Schema.Field field : schema.getFields()) {
                    any |= holds(field.schema(), holders, visiting);
                }
                if (any) {
                    holders.add(schema.getFullName());
                }
                return any;
            }
            default:
                return false;
        }
    }

    @FunctionalInterface
    private interface Encoding {
        byte[] encode(Object note, Schema schema);
    }

    /** One thread's kept note bytes, and its scratch encoder. */
    private static final class KeptBytes {
        private final Map<Object, byte[]> bytes = new IdentityHashMap<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        private BinaryEncoder encoder;

        byte[] bytesOf(Object note, Schema schema, Encoding encoding) {
            byte[] kept = bytes.get(note);
            if (kept != null) {
                verify(kept, note, schema, encoding);
                return kept;
            }
            if (bytes.size() >= KEPT) {
                // Wholesale, not entry by entry: moving a large working set between generations cost as much as encoding it.
                bytes.clear();
            }
            kept = encoding.encode(note, schema);
            bytes.put(note, kept);
            return kept;
        }

        private static void verify(byte[] kept, Object note, Schema schema, Encoding encoding) {
            if (VERIFY && !Arrays.equals(kept, encoding.encode(note, schema))) {
                throw new IllegalStateException("a " + schema.getName() + " changed after it was written: " + note
                        + " (notes are replaced with changed copies, never changed in place)");
            }
        }
    }
}
