package dev.panda.it;

import static dev.panda.it.RespConnection.OK;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A MONITOR client that never reads: the server disconnects it once its unsent feed passes the
 * limit, instead of buffering the feed without bound or slowing the clients being monitored.
 * Test thread.
 */
class SlowMonitorIT {
    private static long networkBuffers(RespConnection c) throws IOException {
        for (String line : c.call("INFO", "memory").split("\r\n")) {
            if (line.startsWith("network_buffers_used:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1));
            }
        }
        throw new AssertionError("no network_buffers_used in INFO memory");
    }

    @Test
    void aMonitorThatNeverReadsIsDisconnectedAndServerMemoryStaysBounded() throws Exception {
        try (RunningPanda panda = new RunningPanda("--appendonly", "no");
             RespConnection c = new RespConnection(panda.port);
             Socket monitor = new Socket()) {
            monitor.setReceiveBufferSize(4096);
            monitor.connect(new InetSocketAddress("127.0.0.1", panda.port), 5000);
            monitor.getOutputStream().write(RespConnection.encode("MONITOR"));
            monitor.getOutputStream().flush();
            Poll.until("the monitor is registered", Duration.ofSeconds(10), () -> c.call("CLIENT", "LIST").contains("flags=O"));

            String value = "x".repeat(100_000);
            // The allocator is shared by every server this test JVM has run: what counts is the growth.
            long baseline = networkBuffers(c);
            long peakBuffers = baseline;
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) { // 100 MB of feed that nobody reads
                assertThat(c.call("SET", "k" + (i % 10), value)).isEqualTo(OK);
                if (i % 50 == 0) {
                    peakBuffers = Math.max(peakBuffers, networkBuffers(c));
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            Poll.until("the monitor is disconnected", Duration.ofSeconds(10), () -> !c.call("CLIENT", "LIST").contains("flags=O"));
            assertThat(peakBuffers - baseline).as("network buffers grown while the monitor did not read (from %d)", baseline)
                    .isLessThan(48L << 20);
            assertThat(seconds).as("the monitored client was not held up").isLessThan(30);
            assertThat(c.call("INFO", "clients")).contains("connected_clients:1\r\n");

            // What the monitor finds when it finally reads: its feed up to the limit, then the end.
            monitor.setSoTimeout(10_000);
            InputStream in = monitor.getInputStream();
            byte[] buffer = new byte[1 << 16];
            long received = 0;
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            } catch (SocketException reset) {
                // closed by the server with data unread: also an end
            }
            assertThat(received).isLessThan(100_000_000L);
        }
    }
}
