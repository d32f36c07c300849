package io.github.filelock.spring.redis;

import io.github.filelock.spring.autoconfigure.InvalidFileLockPropertyException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.redisson.config.Config;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * A Redisson {@link Config} from Boot's {@code spring.data.redis.*}, for an application without a
 * {@code RedissonClient} bean: {@code url}, or {@code host}, {@code port}, {@code database}, {@code username},
 * {@code password} and {@code ssl.enabled}; {@code sentinel.master} with {@code sentinel.nodes}; {@code cluster.nodes};
 * {@code timeout} and {@code connect-timeout}. Nothing here connects.
 */
final class SpringDataRedisConfig {

    private static final String P = "spring.data.redis.";

    private SpringDataRedisConfig() {
    }

    static Config from(Environment env) {
        Config config = new Config();
        String url = env.getProperty(P + "url");
        boolean ssl = env.getProperty(P + "ssl.enabled", Boolean.class, false);
        String scheme = ssl ? "rediss://" : "redis://";
        String username = env.getProperty(P + "username");
        String password = env.getProperty(P + "password");
        int database = env.getProperty(P + "database", Integer.class, 0);
        String sentinelMaster = env.getProperty(P + "sentinel.master");
        String clusterNodes = env.getProperty(P + "cluster.nodes");
        if (clusterNodes != null && !clusterNodes.isBlank()) {
            config.useClusterServers().addNodeAddress(addresses(scheme, clusterNodes));
        } else if (sentinelMaster != null && !sentinelMaster.isBlank()) {
            var sentinel = config.useSentinelServers().setMasterName(sentinelMaster)
                    .addSentinelAddress(addresses(scheme, env.getProperty(P + "sentinel.nodes", "")))
                    .setDatabase(database);
            String sentinelPassword = env.getProperty(P + "sentinel.password");
            if (sentinelPassword != null) {
                sentinel.setSentinelPassword(sentinelPassword);
            }
        } else if (url != null && !url.isBlank()) {
            URI uri = parse(url.trim());
            String address = uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 6379);
            var single = config.useSingleServer().setAddress(address.replaceFirst("^redis://", scheme));
            String path = uri.getPath();
            single.setDatabase(path == null || path.length() <= 1 ? database : databaseOf(url, path.substring(1)));
            String userInfo = uri.getUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                if (colon < 0) {
                    password = userInfo;
                } else {
                    username = colon > 0 ? userInfo.substring(0, colon) : username;
                    password = userInfo.substring(colon + 1);
                }
            }
        } else {
            config.useSingleServer().setAddress(scheme + env.getProperty(P + "host", "localhost") + ":"
                    + env.getProperty(P + "port", "6379")).setDatabase(database);
        }
        if (username != null && !username.isBlank()) {
            config.setUsername(username);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        Binder binder = Binder.get(env);
        timeouts(config, binder.bind(P + "timeout", Duration.class).orElse(null),
                binder.bind(P + "connect-timeout", Duration.class).orElse(null));
        return config;
    }

    // A bad URL's own message quotes it, password and all: say what is wrong with the password masked, and no cause.
    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw badUrl(url, "it is not a URL (" + e.getReason() + ")");
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw badUrl(url, "it needs the form redis://[user:password@]host[:port][/database]");
        }
        return uri;
    }

    private static int databaseOf(String url, String path) {
        try {
            return Integer.parseInt(path);
        } catch (NumberFormatException e) {
            throw badUrl(url, "its path '" + path + "' is not a database number");
        }
    }

    private static InvalidFileLockPropertyException badUrl(String url, String problem) {
        return new InvalidFileLockPropertyException(P + "url", masked(url), problem, "Set spring.data.redis.url to"
                + " redis://[user:password@]host[:port][/database] (rediss:// for TLS), with any special character"
                + " of the password percent-encoded, or declare a RedissonClient bean.", null);
    }

    /** The URL with everything from the scheme to its last '@' masked, so that no password is shown. */
    static String masked(String url) {
        return url.replaceFirst("^([^:/]*://).*@", "$1****@");
    }

    private static void timeouts(Config config, @Nullable Duration timeout, @Nullable Duration connect) {
        if (config.isSingleConfig()) {
            // Locks need few connections: Redisson's default keeps 24 idle ones
            config.useSingleServer().setConnectionMinimumIdleSize(2).setSubscriptionConnectionMinimumIdleSize(1);
            if (timeout != null) {
                config.useSingleServer().setTimeout((int) timeout.toMillis());
            }
            if (connect != null) {
                config.useSingleServer().setConnectTimeout((int) connect.toMillis());
            }
        }
    }

    private static String[] addresses(String scheme, String nodes) {
        return Arrays.stream(nodes.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .map(n -> n.contains("://") ? n : scheme + n).toArray(String[]::new);
    }
}
