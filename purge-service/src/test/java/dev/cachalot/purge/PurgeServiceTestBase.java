package dev.cachalot.purge;

import dev.cachalot.config.HostPort;
import dev.cachalot.config.PurgeServiceConfig;
import dev.cachalot.config.PurgeTokenConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Helpers for talking to a purge service over real HTTP. */
abstract class PurgeServiceTestBase {
  static final String ADMIN = "admin-token-0123456789";
  static final String PHOTOS = "photos-token-0123456789";
  static final String SLOW = "slow-token-01234567890";
  static final String EDGE = "edge-token-0123456789";
  static final OkHttpClient HTTP = new OkHttpClient();

  record Answer(int code, String body, okhttp3.Headers headers) {}

  static PurgeServiceConfig config(Path dir) {
    return new PurgeServiceConfig(new HostPort("127.0.0.1", 0), dir, List.of(
        new PurgeTokenConfig("admin", ADMIN, List.of("*"), PurgeTokenConfig.RIGHTS, 10_000, 10_000),
        new PurgeTokenConfig("photos", PHOTOS, List.of("img.example.com", "*.photos.example.com"),
            Set.of("url", "prefix", "tag"), 10_000, 10_000),
        new PurgeTokenConfig("slow", SLOW, List.of("*"), Set.of("url"), 1, 2)), EDGE);
  }

  static Answer call(String method, String url, String token, String body) throws IOException {
    Request.Builder b = new Request.Builder().url(url);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json")));
    try (Response r = HTTP.newCall(b.build()).execute()) {
      return new Answer(r.code(), r.body().string(), r.headers());
    }
  }
}
