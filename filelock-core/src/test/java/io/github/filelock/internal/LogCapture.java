package io.github.filelock.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the engine logs (logger {@code io.github.filelock}) at WARNING and above while open. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.github.filelock");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture() {
        logger.addHandler(handler);
    }

    /** WARNING and above. */
    public List<String> warnings() {
        return warnings;
    }

    /** ERROR ({@code SEVERE}) only. */
    public List<String> errors() {
        return errors;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
