package io.bellwether.detect.account;

import io.bellwether.detect.state.TicketNote;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What one of an account's note lists holds within a window ending at a moment, and a result derived from it, kept
 * while neither can have changed: the list is the same one with the same notes, and no note has entered (reached its
 * moment) or left the window since. The account rules are judged with every fact of the account, while most facts
 * change one list or none; a busy client's lists hold hundreds of notes.
 *
 * @param <R> what is derived from the notes in the window
 */
final class WindowMemo<R> {
    private List<TicketNote> list;
    private int size;
    private TicketNote first;
    private TicketNote last;
    private long window;
    private long from;
    private long until;
    private List<TicketNote> inWindow = List.of();
    private R value;

    /** The notes of {@code notes} in (at - window, at], in list order. */
    List<TicketNote> notes(List<TicketNote> notes, long at, long window) {
        refresh(notes, at, window, null);
        return inWindow;
    }

    /** {@code derive} of the notes in (at - window, at], computed again only when they changed. */
    R get(List<TicketNote> notes, long at, long window, Function<List<TicketNote>, R> derive) {
        if (!refresh(notes, at, window, derive) && value == null) {
            value = derive.apply(inWindow);
        }
        return value;
    }

    /** Recomputes the window when it may have changed; true when it did. */
    private boolean refresh(List<TicketNote> notes, long at, long window, Function<List<TicketNote>, R> derive) {
        int n = notes.size();
        if (list == notes && size == n && this.window == window && at >= from && at < until
                && (n == 0 || notes.get(0) == first && notes.get(n - 1) == last)) {
            return false;
        }
        List<TicketNote> in = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (TicketNote note : notes) {
            if (note.getAt() > at - window && note.getAt() <= at) {
                in.add(note);
                next = Math.min(next, note.getAt() + window);
            } else if (note.getAt() > at) {
                next = Math.min(next, note.getAt());
            }
        }
        list = notes;
        size = n;
        first = n == 0 ? null : notes.get(0);
        last = n == 0 ? null : notes.get(n - 1);
        this.window = window;
        from = at;
        until = next;
        inWindow = in;
        value = derive == null ? null : derive.apply(in);
        return true;
    }
}
