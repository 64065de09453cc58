package dev.cachalot.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AWS's published Signature Version 4 test suite (the {@code .req} inputs and {@code .authz} outputs of
 * docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html), plus the S3 GET-object example from the S3
 * API reference, which adds {@code x-amz-content-sha256} and a signed Range.
 */
class SigV4SignerTest {
  private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
  private static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final SigV4Signer SUITE = new SigV4Signer("AKIDEXAMPLE", SUITE_SECRET, null, "us-east-1", "service",
      false);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      get-vanilla                      | /                  |                                 | 5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
      get-vanilla-query-order-key-case | /                  | Param2=value2&Param1=value1     | b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500
      get-vanilla-query-order-value    | /                  | Param1=value2&Param1=value1     | 5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694
      get-vanilla-empty-query-key      | /                  | Param1=value1                   | a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb
      get-vanilla-utf8-query           | /                  | ሴ=bar                           | 2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04
      get-utf8                         | /ሴ                 |                                 | 8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85
      get-space                        | /example space/    |                                 | 652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741
      get-unreserved                   | /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz | | 07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f
      """)
  void suiteGetRequests(String name, String path, String query, String signature) {
    Map<String, String> added = SUITE.sign("GET", path, params(query), Map.of("Host", "example.amazonaws.com"),
        SigV4Signer.EMPTY_SHA256, SUITE_TIME);
    assertThat(added.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
        + "service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + signature);
    assertThat(added.get("x-amz-date")).isEqualTo("20150830T123600Z");
  }

  @Test
  void suiteGetRequestsSignQueryParametersWithUnreservedCharacters() {
    String all = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    Map<String, String> added = SUITE.sign("GET", "/", List.of(Map.entry(all, all)),
        Map.of("Host", "example.amazonaws.com"), SigV4Signer.EMPTY_SHA256, SUITE_TIME);
    assertThat(added.get("Authorization"))
        .endsWith("Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
  }

  @Test
  void suiteHeaderValuesAreTrimmedAndCollapsed() {
    Map<String, String> added = SUITE.sign("GET", "/", List.of(), Map.of("Host", "example.amazonaws.com",
        "My-Header1", " value1", "My-Header2", " \"a   b   c\""), SigV4Signer.EMPTY_SHA256, SUITE_TIME);
    assertThat(added.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
        + "service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, "
        + "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  }

  @Test
  void suitePostWithBodyHashesThePayload() {
    Map<String, String> added = SUITE.sign("POST", "/", List.of(), Map.of("Host", "example.amazonaws.com",
        "Content-Type", "application/x-www-form-urlencoded"), SigV4Signer.sha256Hex("Param1=value1"), SUITE_TIME);
    assertThat(added.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
        + "service/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
        + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  }

  @Test
  void suiteSessionTokenIsSigned() {
    String token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeo"
        + "IYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75"
        + "YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYv"
        + "KTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
    SigV4Signer withToken = new SigV4Signer("AKIDEXAMPLE", SUITE_SECRET, token, "us-east-1", "service", false);
    Map<String, String> added = withToken.sign("POST", "/", List.of(), Map.of("Host", "example.amazonaws.com"),
        SigV4Signer.EMPTY_SHA256, SUITE_TIME);
    assertThat(added.get("x-amz-security-token")).isEqualTo(token);
    assertThat(added.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
        + "service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, "
        + "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
  }

  /** The "GET Object" example of the S3 API reference (sig-v4-header-based-auth). */
  @Test
  void s3GetObjectExample() {
    SigV4Signer s3 = new SigV4Signer("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null,
        "us-east-1", "s3", true);
    Map<String, String> added = s3.sign("GET", "/test.txt", List.of(),
        Map.of("Host", "examplebucket.s3.amazonaws.com", "Range", "bytes=0-9"), SigV4Signer.EMPTY_SHA256,
        Instant.parse("2013-05-24T00:00:00Z"));
    assertThat(added.get("x-amz-content-sha256")).isEqualTo(SigV4Signer.EMPTY_SHA256);
    assertThat(added.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
        + "us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }

  @Test
  void encodingIsRfc3986OnUtf8Bytes() {
    assertThat(SigV4Signer.encode("a b+c%/ü", false)).isEqualTo("a%20b%2Bc%25/%C3%BC");
    assertThat(SigV4Signer.encode("a/b", true)).isEqualTo("a%2Fb");
  }

  private static List<Map.Entry<String, String>> params(String query) {
    if (query == null || query.isEmpty()) {
      return List.of();
    }
    return java.util.Arrays.stream(query.split("&")).map(p -> {
      int eq = p.indexOf('=');
      return Map.entry(p.substring(0, eq), p.substring(eq + 1));
    }).toList();
  }
}
