package dev.infera.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 keep-alive client for load: each request is the same pre-encoded bytes; only
 * the status of the answer is kept. Each outstanding request holds one connection (no pipelining);
 * idle connections are reused, new ones opened on demand, so N concurrent requests make N
 * connections, as with {@code wrk -c N}.
 *
 * <p>Why not a general client: against the trivial endpoint on this 2-core machine, Armeria's
 * WebClient drove about 55 % of what {@code wrk} did, this client about 90 %; a benchmark driver
 * must not be the bottleneck. Per request it does what {@code wrk} does: write the bytes, parse a
 * status line and a body length.
 *
 * <p>Threads: the named event loops (one by default) run the connections, each connection on one.
 */
final class Http1Connections implements AutoCloseable {
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final ConcurrentLinkedDeque<Channel> idle = new ConcurrentLinkedDeque<>();

  Http1Connections(String host, int port, Duration timeout, int ioThreads) {
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads " + ioThreads + " (expected >= 1)");
    }
    this.group =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("bench-http", true), NioIoHandler.newFactory());
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .remoteAddress(host, port)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS))
                        .addLast(new HttpResponseDecoder())
                        .addLast(new Exchange());
                  }
                });
  }

  /**
   * Sends a complete request (head and body) and completes with its status code.
   *
   * @param request read-only; sent through a duplicate, never released here
   * @return completes with the status code, or with an error kind string when the connection failed
   *     (never exceptionally)
   */
  CompletableFuture<Object> send(ByteBuf request) {
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Channel channel;
    while ((channel = idle.pollFirst()) != null) {
      if (channel.isActive()) {
        write(channel, request, outcome);
        return outcome;
      }
    }
    bootstrap
        .connect()
        .addListener(
            (ChannelFuture connected) -> {
              if (connected.isSuccess()) {
                write(connected.channel(), request, outcome);
              } else {
                outcome.complete(InferClient.transportError(connected.cause()));
              }
            });
    return outcome;
  }

  /**
   * Sends {@code request} on {@code channel}, its answer to complete {@code outcome}. A connection
   * that closed after it was found open has lost its handlers: the request fails as a transport
   * error instead of throwing in the sender (which would end a closed-loop slot or the fixed-rate
   * schedule without a word).
   */
  static void write(Channel channel, ByteBuf request, CompletableFuture<Object> outcome) {
    Exchange exchange = channel.pipeline().get(Exchange.class);
    if (exchange == null) {
      outcome.complete(InferClient.transportError(new ClosedChannelException()));
      return;
    }
    exchange.pending = outcome;
    channel.writeAndFlush(request.duplicate(), channel.voidPromise());
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One connection's current request: takes the status, completes on the end of the body. */
  private final class Exchange extends SimpleChannelInboundHandler<HttpObject> {
    volatile CompletableFuture<Object> pending;
    private int status;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
      if (message instanceof HttpResponse response) {
        status = response.status().code();
      }
      if (message instanceof LastHttpContent) {
        CompletableFuture<Object> done = pending;
        pending = null;
        idle.offerFirst(ctx.channel());
        if (done != null) {
          done.complete(status);
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(InferClient.transportError(cause));
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail("transport connection closed");
    }

    private void fail(String kind) {
      CompletableFuture<Object> done = pending;
      pending = null;
      if (done != null) {
        done.complete(kind);
      }
    }
  }
}
