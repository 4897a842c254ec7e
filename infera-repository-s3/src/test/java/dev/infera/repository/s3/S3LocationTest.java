package dev.infera.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3LocationTest {

  @Test
  void awsBucketWithPrefix() {
    S3Location location = S3Location.parse("s3://models/team/prod");
    assertThat(location).isEqualTo(new S3Location(Optional.empty(), "models", "team/prod/"));
  }

  @Test
  void bucketWithoutPrefix() {
    assertThat(S3Location.parse("s3://models").prefix()).isEmpty();
    assertThat(S3Location.parse("s3://models/").prefix()).isEmpty();
  }

  @Test
  void compatibleEndpointIsHttpWithPathStyle() {
    S3Location location = S3Location.parse("s3://minio.storage:9000/models/repo");
    assertThat(location.endpoint()).contains(URI.create("http://minio.storage:9000"));
    assertThat(location.bucket()).isEqualTo("models");
    assertThat(location.prefix()).isEqualTo("repo/");
  }

  @Test
  void httpsEndpoint() {
    assertThat(S3Location.parse("s3://https://10.0.0.5:443/models").endpoint())
        .contains(URI.create("https://10.0.0.5:443"));
  }

  @Test
  void badLocationsNameWhatIsWrong() {
    assertThatThrownBy(() -> S3Location.parse("s3://Not_A_Bucket/x"))
        .hasMessageContaining("'Not_A_Bucket' is not a bucket name")
        .hasMessageContaining("expected s3://bucket/prefix");
    assertThatThrownBy(() -> S3Location.parse("s3://host:70000/b/p"))
        .hasMessageContaining("port 70000");
    assertThatThrownBy(() -> S3Location.parse("s3://models//x"))
        .hasMessageContaining("empty path segment");
  }

  @Test
  void aLocationIsShownAsItIsWritten() {
    assertThat(S3Location.parse("s3://models/team/prod")).hasToString("s3://models/team/prod/");
    assertThat(S3Location.parse("s3://minio.storage:9000/models/repo"))
        .hasToString("s3://minio.storage:9000/models/repo/");
    assertThat(S3Location.parse("s3://http://minio.storage:9000/models"))
        .hasToString("s3://minio.storage:9000/models/");
    assertThat(S3Location.parse("s3://https://10.0.0.5:443/models/repo"))
        .hasToString("s3://https://10.0.0.5:443/models/repo/");
  }
}
