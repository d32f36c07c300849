package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.IntSupplier;

/** Requests to the test's own server, as an operator's curl would send them. */
final class LocalServer {

    private final HttpClient http = HttpClient.newHttpClient();
    private final IntSupplier port;

    /** Reads {@code port} at each request: Spring injects the random port after the test instance is made. */
    LocalServer(IntSupplier port) {
        this.port = port;
    }

    /** {@code method} on {@code path}, with {@code headers} as name, value, name, value... */
    HttpResponse<String> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port.getAsInt() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path);
    }

    /** The body of a GET that must answer 200. */
    DocumentContext getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JsonPath.parse(response.body());
    }
}
