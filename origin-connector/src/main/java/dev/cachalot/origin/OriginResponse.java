package dev.cachalot.origin;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The origin's answer: status and fields now, the body as a stream to read once. Reading the body may block, so
 * do it off the server's I/O threads. A body cut short raises an {@link OriginException} while reading.
 */
public final class OriginResponse implements Closeable {
  private final int status;
  private final HttpFields headers;
  private final long contentLength;
  private final InputStream body;

  /**
   * @param contentLength body length, or -1 when unknown (chunked). Request and response times for Age are taken
   *     by the caller with its own clock (RFC 9111 §4.2.3), so they are not carried here.
   */
  public OriginResponse(int status, HttpFields headers, long contentLength, InputStream body) {
    this.status = status;
    this.headers = headers;
    this.contentLength = contentLength;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public HttpFields headers() {
    return headers;
  }

  public long contentLength() {
    return contentLength;
  }

  /** The body; read errors are {@link OriginException}s. */
  public InputStream body() {
    return body;
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException ignored) {
      // nothing to do: the connection is dropped
    }
  }
}
