package dev.infera.server;

import com.linecorp.armeria.server.ServerBuilder;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Fewer socket writes per response. Armeria's HTTP/1 encoder flushes the response headers as soon
 * as it writes them and flushes again for the body, so a small REST answer costs two {@code send}
 * system calls, and a gRPC answer (headers, message, trailers) up to three. Netty's {@link
 * FlushConsolidationHandler}, first in every connection's pipeline, holds flushes while the event
 * loop is reading and otherwise defers a flush to the event loop's next task, so the writes of the
 * same turn leave in one {@code writev}. Nothing is held longer than that task: a streamed response
 * still leaves message by message.
 */
final class WriteCoalescing {
  /**
   * Flushes at once after this many held flushes during one read, so that a connection pipelining
   * many requests still sends its answers while it is being read. Netty's own default.
   */
  static final int MAX_HELD_FLUSHES =
      FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;

  private WriteCoalescing() {}

  static ServerBuilder apply(ServerBuilder sb) {
    return sb.childChannelPipelineCustomizer(
        pipeline -> pipeline.addFirst(new FlushConsolidationHandler(MAX_HELD_FLUSHES, true)));
  }
}
