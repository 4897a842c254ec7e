package dev.infera.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcStatusMappingTest {

  @Test
  void tableMapsEveryErrorCodeToItsStatus() {
    Map<ErrorCode, Status.Code> expected =
        Map.ofEntries(
            Map.entry(ErrorCode.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT),
            Map.entry(ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND),
            Map.entry(ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE),
            Map.entry(ErrorCode.DEADLINE_EXCEEDED, Status.Code.DEADLINE_EXCEEDED),
            Map.entry(ErrorCode.CANCELLED, Status.Code.CANCELLED),
            Map.entry(ErrorCode.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS),
            Map.entry(ErrorCode.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION),
            Map.entry(ErrorCode.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED),
            Map.entry(ErrorCode.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED),
            Map.entry(ErrorCode.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED),
            Map.entry(ErrorCode.UNIMPLEMENTED, Status.Code.UNIMPLEMENTED),
            Map.entry(ErrorCode.INTERNAL, Status.Code.INTERNAL));

    assertThat(expected).hasSize(ErrorCode.values().length);
    expected.forEach(
        (code, status) ->
            assertThat(GrpcStatusMapping.codeFor(code)).as("%s", code).isEqualTo(status));
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void inferenceExceptionKeepsItsMessage(ErrorCode code) {
    Status status =
        GrpcStatusMapping.toStatus(new InferenceException(code, "input 'X': bad shape"));

    assertThat(status.getCode()).isEqualTo(GrpcStatusMapping.codeFor(code));
    assertThat(status.getDescription()).isEqualTo("input 'X': bad shape");
  }

  @Test
  void futureWrappersAreLookedThrough() {
    Throwable wrapped =
        new CompletionException(
            new ExecutionException(InferenceException.notFound("model 'm' is unknown")));

    Status status = GrpcStatusMapping.toStatus(wrapped);

    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).isEqualTo("model 'm' is unknown");
  }

  @Test
  void unexpectedExceptionBecomesInternalWithoutItsDetail() {
    IllegalStateException bug = new IllegalStateException("secret detail");

    Status status = GrpcStatusMapping.toStatus(new CompletionException(bug));

    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).doesNotContain("secret").doesNotContain("Exception");
    assertThat(GrpcStatusMapping.isUnexpected(bug)).isTrue();
  }

  @Test
  void cancelledFutureBecomesCancelled() {
    Status status = GrpcStatusMapping.toStatus(new CancellationException());

    assertThat(status.getCode()).isEqualTo(Status.Code.CANCELLED);
  }

  @Test
  void clientErrorsAreNotUnexpected() {
    assertThat(GrpcStatusMapping.isUnexpected(InferenceException.invalidArgument("bad"))).isFalse();
  }
}
