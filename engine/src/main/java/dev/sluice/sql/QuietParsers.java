package dev.sluice.sql;

import java.io.Reader;

/**
 * Calcite's parsers with errors that name the token and position only, not the tokens expected there.
 *
 * <p>To list what it expected, a generated parser replays every look-ahead it tried at the failing token: about
 * 9 ms a statement for Babel, 0.4 ms for the standard grammar, against 0.3 ms to parse a small model. The engine
 * tries the standard grammar first and drops its error, and most statements Babel refuses are the warehouse's own
 * dialect that runs as written, so that list is wasted work there. {@link SqlAnalyzer#explainSyntaxError} parses
 * again with Calcite's own parser when an error is shown to the user.
 *
 * <p>The two overrides are alike but cannot be one: each grammar is generated with its own Token and
 * ParseException classes, which share no type that has these fields.
 */
final class QuietParsers {
    private QuietParsers() {
    }

    /** The message JavaCC's parse exceptions start with, for the token the parser stopped at. */
    static String message(String image, boolean end, int line, int column) {
        return "Encountered \"" + (end ? "<EOF>" : image) + "\" at line " + line + ", column " + column + ".";
    }

    static final class Babel extends org.apache.calcite.sql.parser.babel.SqlBabelParserImpl {
        Babel(Reader reader) {
            super(reader);
        }

        @Override
        public org.apache.calcite.sql.parser.babel.ParseException generateParseException() {
            org.apache.calcite.sql.parser.babel.Token at = token.next == null ? token : token.next;
            org.apache.calcite.sql.parser.babel.ParseException e = new org.apache.calcite.sql.parser.babel.ParseException(
                    message(at.image, at.kind == EOF, at.beginLine, at.beginColumn));
            // Calcite takes the error's position from the token; it reads the (here empty) expected list too.
            e.currentToken = token;
            e.expectedTokenSequences = new int[0][];
            e.tokenImage = tokenImage;
            return e;
        }
    }

    static final class Core extends org.apache.calcite.sql.parser.impl.SqlParserImpl {
        Core(Reader reader) {
            super(reader);
        }

        @Override
        public org.apache.calcite.sql.parser.impl.ParseException generateParseException() {
            org.apache.calcite.sql.parser.impl.Token at = token.next == null ? token : token.next;
            org.apache.calcite.sql.parser.impl.ParseException e = new org.apache.calcite.sql.parser.impl.ParseException(
                    message(at.image, at.kind == EOF, at.beginLine, at.beginColumn));
            e.currentToken = token;
            e.expectedTokenSequences = new int[0][];
            e.tokenImage = tokenImage;
            return e;
        }
    }
}
