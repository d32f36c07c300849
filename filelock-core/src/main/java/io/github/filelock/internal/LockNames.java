package io.github.filelock.internal;

/** Lock names in messages: a 10,000-character name must not flood a log line. */
public final class LockNames {

    private LockNames() {
    }

    public static String abbreviate(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200) + "...(" + name.length() + " chars)";
    }
}
