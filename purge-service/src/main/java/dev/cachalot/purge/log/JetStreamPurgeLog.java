package dev.cachalot.purge.log;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The purge log as a NATS JetStream stream (file storage) of its own, so its sequence numbers are the purges'
 * (contiguous from 1). An append completes when JetStream acknowledges the stored message. The service keeps a copy
 * in memory, fed by an ordered consumer of the stream, for status queries and for edges that long-poll it; edges
 * can also read the stream directly, which takes the service out of the fan-out path.
 */
public final class JetStreamPurgeLog extends RecordListLog {
  private final Connection nats;
  private final JetStream js;
  private final String subject;
  private final JetStreamSubscription mirror;

  private JetStreamPurgeLog(Connection nats, String stream, String subject) throws IOException, JetStreamApiException {
    this.nats = nats;
    this.subject = subject;
    JetStreamManagement jsm = nats.jetStreamManagement();
    try {
      jsm.getStreamInfo(stream);
    } catch (JetStreamApiException notFound) {
      jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject).storageType(StorageType.File)
          .build());
    }
    this.js = nats.jetStream();
    Dispatcher dispatcher = nats.createDispatcher();
    PushSubscribeOptions opts = PushSubscribeOptions.builder().stream(stream).ordered(true)
        .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build();
    this.mirror = js.subscribe(subject, dispatcher, msg -> mirrored(msg.metaData().streamSequence(), msg.getData()),
        false, opts);
  }

  /** Connects to {@code url} and creates the stream if it does not exist. */
  public static JetStreamPurgeLog open(String url, String stream, String subject) throws IOException {
    try {
      Connection nc = Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5))
          .maxReconnects(-1).build());
      return new JetStreamPurgeLog(nc, stream, subject);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + url, e);
    } catch (JetStreamApiException e) {
      throw new IOException("JetStream refused the purge stream '" + stream + "': " + e.getMessage(), e);
    }
  }

  /** Called by the one dispatcher thread, in stream order. */
  private void mirrored(long seq, byte[] payload) {
    if (seq == records.size() + 1) { // an ordered consumer may only repeat a record after a reconnect
      records.addAll(List.of(payload));
    }
  }

  @Override
  public CompletableFuture<Long> append(byte[] payload) {
    return js.publishAsync(subject, payload).thenApply(ack -> ack.getSeqno());
  }

  @Override
  public void close() {
    try {
      mirror.unsubscribe();
      nats.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException ignored) {
      // closing
    }
  }
}
