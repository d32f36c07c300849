package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A server that is not there, or not PostgreSQL, fails at open() with the URL (no secrets) and the fix. */
class ConnectErrorsTest {

    @Test
    void nothingListening() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/app?user=u&password=s3cret";
        assertThatThrownBy(() -> PostgresLockBackend.open(PostgresSettings.builder(url).build()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:" + port + "/app")
                .hasMessageContaining("Check that the server runs")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void somethingThatIsNotPostgres() throws Exception {
        try (ServerSocket notPostgres = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (var client = notPostgres.accept()) {
                    client.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (IOException e) {
                    // the test is over
                }
            });
            t.setDaemon(true);
            t.start();
            String url = "jdbc:postgresql://127.0.0.1:" + notPostgres.getLocalPort() + "/app";
            assertThatThrownBy(() -> PostgresLockBackend.open(PostgresSettings.builder(url).build()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(url);
        }
    }
}
