package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Md5CheckingStreamTest {
  private static final String ABC_MD5 = "900150983cd24fb0d6963f7d28e17f72";

  private static Md5CheckingStream of(String body, long length) {
    return new Md5CheckingStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), ABC_MD5, length);
  }

  @Test
  void aMatchingBodyReadsThrough() throws Exception {
    assertThat(of("abc", 3).readNBytes(3)).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    assertThat(of("abc", -1).readAllBytes()).hasSize(3);
  }

  @Test
  void aWrongBodyFailsAtItsLastByteEvenWhenTheReaderStopsAtContentLength() {
    assertThatThrownBy(() -> of("abd", 3).readNBytes(3))
        .isInstanceOf(OriginException.class)
        .hasMessageContaining("does not match its ETag");
    assertThatThrownBy(() -> of("abd", -1).readAllBytes()).isInstanceOf(OriginException.class);
  }

  @Test
  void onlyPlainMd5EtagsAreChecked() {
    assertThat(Md5CheckingStream.md5Of("\"900150983CD24FB0D6963F7D28E17F72\"", null)).isEqualTo(ABC_MD5);
    assertThat(Md5CheckingStream.md5Of("\"900150983cd24fb0d6963f7d28e17f72-3\"", null)).as("multipart").isNull();
    assertThat(Md5CheckingStream.md5Of("\"" + ABC_MD5 + "\"", "aws:kms")).isNull();
    assertThat(Md5CheckingStream.md5Of("W/\"" + ABC_MD5 + "\"", null)).isNull();
    assertThat(Md5CheckingStream.md5Of(null, null)).isNull();
  }
}
