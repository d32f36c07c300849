package io.github.filelock.internal.soft.strict;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A claim's file name, {@code <state>-v1-<token>.claim}: the state is {@code intent} or {@code held}, the token 32
 * lower-case hex digits. Contenders order themselves by these names, so they are compared as Python compares them:
 * as strings, code unit by code unit (the names are ASCII).
 */
record ClaimName(boolean held, String token) {

    static final int TOKEN_HEX_LENGTH = 32;
    private static final Pattern NAME = Pattern.compile("(intent|held)-v1-([0-9a-f]{" + TOKEN_HEX_LENGTH
            + "})\\.claim");

    /** The name, or empty for any other file name (another protocol version, a stray file). */
    static Optional<ClaimName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Optional.of(new ClaimName(m.group(1).equals("held"), m.group(2))) : Optional.empty();
    }

    static ClaimName intent(String token) {
        return new ClaimName(false, token);
    }

    static ClaimName heldBy(String token) {
        return new ClaimName(true, token);
    }

    String fileName() {
        return (held ? "held" : "intent") + "-v1-" + token + ".claim";
    }

    /** The name without its state, which orders contenders by token alone (Python's {@code _claim_token_key}). */
    String tokenKey() {
        return "v1-" + token + ".claim";
    }
}
