package io.github.filelock.internal.soft;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few Python string rules that decide whether Python filelock reads a marker as a holder: strict UTF-8 decoding,
 * {@code str.strip()}, {@code str.splitlines()} and {@code int()}. Reading a marker the way Python reads it keeps both
 * sides' verdicts on one file the same: what one calls a holder, the other never calls malformed and breaks.
 */
final class PythonText {

    private PythonText() {
    }

    /** {@code bytes.decode("utf-8")}, or empty where Python raises {@code UnicodeDecodeError}. */
    static Optional<String> decodeUtf8(byte[] content) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** {@code str.isspace()} for one character. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** {@code str.strip()}. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code str.splitlines()}: every line boundary Python knows, {@code \r\n} as one, no trailing empty line. */
    static List<String> splitLines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (isLineBoundary(c)) {
                lines.add(s.substring(start, i));
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /** Whether {@code str.splitlines()} ends a line at {@code c}. */
    static boolean isLineBoundary(char c) {
        return c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || c == '\u001c' || c == '\u001d'
                || c == '\u001e' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /**
     * {@code int(s)}: surrounding white space, an optional sign, decimal digits (any script's) with single
     * underscores between them; empty where Python raises {@code ValueError}.
     */
    static Optional<BigInteger> parseInt(String text) {
        String s = strip(text);
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        StringBuilder digits = new StringBuilder();
        boolean underscoreAllowed = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_' && underscoreAllowed) {
                underscoreAllowed = false;
                continue;
            }
            int digit = Character.digit(c, 10);
            if (digit < 0 || !Character.isDigit(c)) {
                return Optional.empty();
            }
            digits.append((char) ('0' + digit));
            underscoreAllowed = true;
        }
        if (digits.length() == 0 || !underscoreAllowed) {
            return Optional.empty(); // no digits, or a trailing underscore
        }
        BigInteger value = new BigInteger(digits.toString());
        return Optional.of(negative ? value.negate() : value);
    }
}
