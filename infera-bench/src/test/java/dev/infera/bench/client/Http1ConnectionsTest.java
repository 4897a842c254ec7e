package dev.infera.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class Http1ConnectionsTest {
  @Test
  void aConnectionThatLostItsHandlersFailsTheRequestInsteadOfThrowing() {
    // As a pooled connection closed by the server between the check that it is open and the write.
    EmbeddedChannel closed = new EmbeddedChannel();
    closed.close();
    CompletableFuture<Object> outcome = new CompletableFuture<>();

    Http1Connections.write(closed, Unpooled.wrappedBuffer(new byte[] {1}), outcome);

    assertThat(outcome).isCompletedWithValue("transport ClosedChannelException");
  }
}
