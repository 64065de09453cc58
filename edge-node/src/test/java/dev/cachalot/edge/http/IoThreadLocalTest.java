package dev.cachalot.edge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class IoThreadLocalTest {
  /** A value made for a thread: which thread it was made on. */
  private record Made(Thread on) {}

  /** What one request saw: its thread and the value got twice. */
  private record Seen(Thread thread, Made first, Made second) {}

  @Test
  void eachThreadKeepsItsOwnValueAlsoWhenTwoWorkersNumberTheirThreadsAlike() throws Exception {
    IoThreadLocal<Made> local = new IoThreadLocal<>(() -> new Made(Thread.currentThread()));
    List<Seen> seen = new CopyOnWriteArrayList<>();
    List<Undertow> servers = new ArrayList<>();
    OkHttpClient client = new OkHttpClient();
    try {
      for (int s = 0; s < 2; s++) { // one I/O thread each: both are number 0 of their worker
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(1)
            .setHandler(ex -> {
              seen.add(new Seen(Thread.currentThread(), local.get(), local.get()));
              ex.getResponseSender().send("ok");
            }).build();
        server.start();
        servers.add(server);
      }
      for (int round = 0; round < 2; round++) {
        for (Undertow server : servers) {
          int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
          try (Response r = client.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/").build())
              .execute()) {
            assertThat(r.code()).isEqualTo(200);
          }
        }
      }
    } finally {
      servers.forEach(Undertow::stop);
    }
    assertThat(seen).hasSize(4);
    for (Seen s : seen) {
      assertThat(s.first()).isSameAs(s.second());
      assertThat(s.first().on()).as("made for the thread that got it").isSameAs(s.thread());
    }
    assertThat(seen.get(0).thread()).isNotSameAs(seen.get(1).thread());
    assertThat(seen.get(2).first()).as("the first server's thread again").isSameAs(seen.get(0).first());
    assertThat(seen.get(3).first()).as("the second server's thread again").isSameAs(seen.get(1).first());
    assertThat(local.get().on()).isSameAs(Thread.currentThread());
  }
}
