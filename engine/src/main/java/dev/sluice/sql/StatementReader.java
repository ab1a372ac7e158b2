package dev.sluice.sql;

import java.io.IOException;
import java.io.Reader;

/**
 * One statement's text for Calcite's parser, ending the way its character stream expects at lower cost.
 *
 * <p>Calcite's generated character stream treats an IOException from its reader as the end of input: when the
 * reader says -1 it closes it and throws a new IOException, and each later look past the end reads the closed
 * reader, which throws another. Every one of those filled in a stack trace through the parser's deep recursion
 * (a 10,000-model compile threw about 6,900 of them). This reader throws one exception without a stack trace at
 * the end, every time it is asked past it, which the stream handles exactly as before: the same characters, the
 * same end.
 */
final class StatementReader extends Reader {
    private final String text;
    private int next;
    /** Thrown at every read past the end; made at the first one. */
    private IOException end;

    StatementReader(String text) {
        this.text = text;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        // In the order StringReader answers: past the end (it was closed there) before an empty request.
        if (end != null) throw end;
        if (length == 0) return 0;
        if (next >= text.length()) {
            end = new IOException("end of statement", null) {
                @Override
                public synchronized Throwable fillInStackTrace() {
                    return this;
                }
            };
            throw end;
        }
        int n = Math.min(length, text.length() - next);
        text.getChars(next, next + n, buffer, offset);
        next += n;
        return n;
    }

    @Override
    public void close() {
        // A string holds nothing to release; the parser closes its reader only at the end.
    }
}
