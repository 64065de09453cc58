package dev.cachalot.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class LoopClockTest {

  @Test
  void anIoThreadReadsTheClockOncePerPassOfItsLoop() throws Exception {
    List<long[]> readings = new CopyOnWriteArrayList<>();
    Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(1)
        .setHandler(ex -> {
          LoopClock clock = LoopClock.current();
          long first = clock.nanoTime();
          long real = System.nanoTime();
          while (real <= first) { // until the real clock has moved on
            real = System.nanoTime();
          }
          readings.add(new long[] {first, clock.nanoTime(), real});
          ex.getResponseSender().send("ok");
        }).build();
    server.start();
    try {
      int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
      OkHttpClient client = new OkHttpClient();
      for (int i = 0; i < 2; i++) { // a connection each: the second request cannot be read in the first's pass
        Request request = new Request.Builder().url("http://127.0.0.1:" + port + "/").header("Connection", "close")
            .build();
        try (Response r = client.newCall(request).execute()) {
          assertThat(r.code()).isEqualTo(200);
        }
      }
    } finally {
      server.stop();
    }
    assertThat(readings).hasSize(2);
    long[] one = readings.get(0);
    long[] two = readings.get(1);
    assertThat(one[1]).as("the same pass: the same reading").isEqualTo(one[0]).isLessThan(one[2]);
    assertThat(two[0]).as("a later pass: a new reading").isGreaterThanOrEqualTo(one[2]);
  }

  @Test
  void otherThreadsReadTheClockEachTime() {
    LoopClock clock = LoopClock.current();
    long first = clock.nanoTime();
    long later = first;
    for (int i = 0; i < 1_000_000 && later == first; i++) {
      later = clock.nanoTime();
    }
    assertThat(later).isGreaterThan(first);
  }
}
