package dev.sluice.seed;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 character stream with one character of lookahead.
 * <p>
 * Decodes by hand instead of using InputStreamReader because that drops the characters decoded just
 * before a malformed byte; here every good character is delivered before the error is raised, so the
 * parser can name the exact line of the bad byte.
 */
final class CharInput implements Closeable {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024).flip();
    private final CharBuffer chars = CharBuffer.allocate(16 * 1024).flip();
    private boolean endOfBytes;
    private boolean flushed;
    private CharacterCodingException pendingError;

    CharInput(InputStream in) {
        this.in = in;
    }

    /** The next character, or -1 at the end of input. */
    int read() throws IOException {
        if (!chars.hasRemaining() && !fill()) return -1;
        return chars.get();
    }

    /** The next character without consuming it, or -1 at the end of input. */
    int peek() throws IOException {
        if (!chars.hasRemaining() && !fill()) return -1;
        return chars.get(chars.position());
    }

    private boolean fill() throws IOException {
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (pendingError != null) throw pendingError;
                if (flushed) return false;
                CoderResult result = decoder.decode(bytes, chars, endOfBytes);
                if (result.isError()) {
                    // Hand out what was decoded before the bad bytes first; throw on the next fill.
                    pendingError = new CharacterCodingException();
                } else if (result.isOverflow()) {
                    break;
                } else if (endOfBytes) {
                    decoder.flush(chars);
                    flushed = true;
                } else {
                    bytes.compact();
                    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                    if (n < 0) endOfBytes = true;
                    else bytes.position(bytes.position() + n);
                    bytes.flip();
                }
            }
        } finally {
            chars.flip();
        }
        return chars.hasRemaining();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
