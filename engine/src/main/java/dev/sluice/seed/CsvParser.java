package dev.sluice.seed;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming RFC 4180 record splitter that tracks physical line numbers.
 * <p>
 * Line breaks may be CRLF, LF or a lone CR; inside quoted fields they are kept verbatim. A double quote
 * inside an unquoted field is taken literally (common in hand-written seeds and unambiguous), but
 * anything other than a separator or line break after a closing quote is an error, since it usually
 * means a mis-escaped quote that would otherwise silently shift the data.
 */
final class CsvParser {
    /** One record; blank means the physical line was completely empty. */
    record Record(List<String> fields, int line, boolean blank) {
    }

    private final CharInput in;
    private final Path file;
    private int line = 1;
    private final StringBuilder field = new StringBuilder();
    private final char separator;

    /** @param separator the field separator: ',' or a seed's configured delimiter */
    CsvParser(CharInput in, Path file, char separator) {
        this.in = in;
        this.file = file;
        this.separator = separator;
    }

    /** The next record, or null at the end of input. */
    Record next() throws IOException {
        int c = read();
        if (c == -1) return null;
        int startLine = line;
        if (c == '\n' || c == '\r') {
            endLine(c);
            return new Record(List.of(""), startLine, true);
        }
        List<String> fields = new ArrayList<>();
        while (true) {
            field.setLength(0);
            if (c == '"') {
                c = readQuoted(startLine);
            } else {
                while (c != separator && c != '\n' && c != '\r' && c != -1) {
                    field.append((char) c);
                    c = read();
                }
            }
            fields.add(field.toString());
            if (c == separator) {
                c = read();
                continue;
            }
            if (c != -1) endLine(c);
            return new Record(fields, startLine, false);
        }
    }

    /** Reads a quoted field's content into {@link #field}; returns the character after the closing quote. */
    private int readQuoted(int startLine) throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw new ConfigException("unterminated quoted field (missing closing double quote)",
                        SourceLocation.of(file, startLine));
            }
            if (c == '"') {
                if (peek() == '"') {
                    read();
                    field.append('"');
                    continue;
                }
                int after = read();
                if (after != separator && after != '\n' && after != '\r' && after != -1) {
                    throw new ConfigException("unexpected character '" + (char) after
                            + "' after a closing double quote (write a literal quote as \"\")",
                            SourceLocation.of(file, startLine));
                }
                return after;
            }
            field.append((char) c);
            if (c == '\r') {
                if (peek() == '\n') field.append((char) read());
                line++;
            } else if (c == '\n') {
                line++;
            }
        }
    }

    /** Consumes the rest of a line break whose first character was c. */
    private void endLine(int c) throws IOException {
        if (c == '\r' && peek() == '\n') read();
        line++;
    }

    private int read() throws IOException {
        try {
            return in.read();
        } catch (CharacterCodingException e) {
            throw notUtf8(e);
        }
    }

    private int peek() throws IOException {
        try {
            return in.peek();
        } catch (CharacterCodingException e) {
            throw notUtf8(e);
        }
    }

    private ConfigException notUtf8(CharacterCodingException e) {
        return new ConfigException("the file is not valid UTF-8 (seeds must be UTF-8 encoded)",
                SourceLocation.of(file, line), e);
    }
}
