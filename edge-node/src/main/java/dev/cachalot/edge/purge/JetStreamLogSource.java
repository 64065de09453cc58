package dev.cachalot.edge.purge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the purge stream straight from NATS JetStream (an ordered consumer starting after the last record applied),
 * so the purge service is not in the fan-out path. A message's data is the record without {@code seq} and
 * {@code id}; its stream sequence is the record's number.
 */
final class JetStreamLogSource implements PurgeFollower.LogSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final String stream;
  private final String subject;
  private @Nullable Connection nats;
  private @Nullable JetStreamSubscription sub;
  private long subscribedAfter = -1;

  JetStreamLogSource(String url, String stream, String subject) {
    this.url = url;
    this.stream = stream;
    this.subject = subject;
  }

  @Override
  public PurgeFollower.Page fetch(long after, long waitMs, int limit) throws IOException {
    try {
      Connection nc = connection();
      long head = nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getLastSequence();
      if (limit == 0) {
        return new PurgeFollower.Page(head, List.of());
      }
      JetStreamSubscription s = subscription(nc, after);
      List<JsonNode> records = new ArrayList<>();
      Message m = s.nextMessage(Duration.ofMillis(Math.max(1, head > after ? 1000 : waitMs)));
      while (m != null && records.size() < limit) {
        ObjectNode record = (ObjectNode) JSON.readTree(m.getData());
        long seq = m.metaData().streamSequence();
        ObjectNode withSeq = JSON.createObjectNode();
        withSeq.put("seq", seq);
        withSeq.put("id", "p-" + seq);
        withSeq.setAll(record);
        records.add(withSeq);
        subscribedAfter = seq;
        m = records.size() < limit ? s.nextMessage(Duration.ofMillis(1)) : null;
      }
      return new PurgeFollower.Page(Math.max(head, subscribedAfter), records);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (JetStreamApiException | IllegalStateException e) {
      reset();
      throw new IOException("JetStream: " + e.getMessage(), e);
    }
  }

  private Connection connection() throws IOException, InterruptedException {
    Connection nc = nats;
    if (nc == null || nc.getStatus() == Connection.Status.CLOSED) {
      nc = Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(2))
          .maxReconnects(-1).build());
      nats = nc;
    }
    return nc;
  }

  /** One ordered consumer while reading goes on in order; a new one if asked to start elsewhere. */
  private JetStreamSubscription subscription(Connection nc, long after) throws IOException, JetStreamApiException {
    JetStreamSubscription s = sub;
    if (s != null && subscribedAfter == after) {
      return s;
    }
    if (s != null) {
      s.unsubscribe();
    }
    ConsumerConfiguration cc = after == 0
        ? ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()
        : ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(after + 1)
            .build();
    s = nc.jetStream().subscribe(subject, PushSubscribeOptions.builder().stream(stream).ordered(true)
        .configuration(cc).build());
    sub = s;
    subscribedAfter = after;
    return s;
  }

  private void reset() {
    sub = null;
    subscribedAfter = -1;
  }

  @Override
  public void close() {
    Connection nc = nats;
    if (nc != null) {
      try {
        nc.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
