package io.github.filelock.sample;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Which instance this is: the pid and the HTTP port, so responses show who did the work. */
@Component
public class Instance {

    private final Environment environment;

    public Instance(Environment environment) {
        this.environment = environment;
    }

    public long pid() {
        return ProcessHandle.current().pid();
    }

    public int port() {
        return environment.getProperty("local.server.port", Integer.class, -1);
    }

    public String describe() {
        return "pid " + pid() + " on port " + port();
    }
}
