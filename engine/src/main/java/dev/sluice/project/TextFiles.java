package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a project's text files as UTF-8, naming the file and line of the first byte that is not UTF-8. */
public final class TextFiles {
    private TextFiles() {
    }

    /** @param display the path messages name, usually relative to the project */
    public static String read(Path file, Path display) {
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
            throw new ConfigException("broken symbolic link: " + linkTarget(file) + " does not exist", SourceLocation.of(display));
        }
        return readRegular(file, display);
    }

    /** read for a file a directory walk's own attributes showed to be a regular file, not a link: no look before. */
    static String readRegular(Path file, Path display) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("file does not exist", SourceLocation.of(display), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read file: " + e.getMessage(), SourceLocation.of(display), e);
        }
        return decode(bytes, display);
    }

    static String decode(byte[] bytes, Path display) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) if (bytes[i] == '\n') line++;
            throw new ConfigException(String.format("not UTF-8 text (byte 0x%02X); save the file as UTF-8", bytes[at] & 0xff),
                    SourceLocation.of(display, line));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        // A byte-order mark is not part of the text; editors on Windows add one.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "its target";
        }
    }
}
