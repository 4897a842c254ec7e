package dev.infera.server.rest;

import dev.infera.core.InferenceRequest;
import dev.infera.core.scheduling.CallerRuns;
import dev.infera.server.InferaServer;
import dev.infera.server.ServerOptions;
import dev.infera.spi.InferenceException;
import dev.infera.spi.Tensor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.*;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.*;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A measurement, not a server (bench/lean-http.sh): Infera's REST inference path (the same
 * decoder, engine, scheduler, backend and encoder) behind Netty's own HTTP/1.1 codec instead of
 * Armeria, in the same process as a regular server, so that both can be loaded in turn. Only
 * {@code POST /v2/models/{model}/infer} over cleartext HTTP/1.1; none of the server's guards
 * (authentication, limits, timeouts, metrics of rejected requests, tracing, compression).
 *
 * <p>Compiled by the script against the built server jar, in the REST package to reach its
 * package-private decoder and encoder. Arguments: MODEL_REPOSITORY PORT EVENT_LOOPS.
 */
public final class LeanProbe {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    int loops = Integer.parseInt(args[2]);
    InferaServer server = InferaServer.start(ServerOptions.onFreePorts(Paths.get(args[0])));
    var engine = server.engine();
    System.out.println("armeria REST port " + server.httpPort() + " pid " + ProcessHandle.current().pid());
    EventLoopGroup group = new EpollEventLoopGroup(loops);
    new ServerBootstrap()
        .group(group)
        .channel(EpollServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpServerCodec())
                    .addLast(new HttpObjectAggregator(64 << 20))
                    .addLast(
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                          @Override
                          protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                            boolean keepAlive = HttpUtil.isKeepAlive(req);
                            String path = req.uri();
                            if (!path.startsWith("/v2/models/") || !path.endsWith("/infer")) {
                              send(ctx, HttpResponseStatus.NOT_FOUND, "{}".getBytes(), 0, keepAlive);
                              return;
                            }
                            String model = path.substring("/v2/models/".length(), path.length() - "/infer".length());
                            byte[] bytes = ByteBufUtil.getBytes(req.content());
                            HttpHeaders headers = req.headers();
                            InferenceRequest request;
                            try {
                              int jsonLength = BinaryFraming.jsonLength(headers.get(BinaryFraming.HEADER), bytes.length);
                              DecodedRequest decoded = InferRequestDecoder.decode(bytes, 0, jsonLength, 1 << 24);
                              List<Tensor> inputs = new ArrayList<>(BinaryFraming.attach(decoded.inputs(), bytes, jsonLength, bytes.length));
                              request = decoded.toInferenceRequest(model, Optional.empty(), inputs, headers::get);
                            } catch (InferenceException e) {
                              send(ctx, HttpResponseStatus.BAD_REQUEST, ("{\"error\":\"" + e.getMessage() + "\"}").getBytes(), 0, keepAlive);
                              return;
                            }
                            InferenceRequest r = request;
                            CallerRuns.permitting(() -> engine.infer(r))
                                .whenComplete(
                                    (answer, error) -> {
                                      if (error != null) {
                                        send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "{}".getBytes(), 0, keepAlive);
                                        return;
                                      }
                                      EncodedResponse encoded = InferResponseEncoder.encode(answer, r);
                                      send(ctx, HttpResponseStatus.OK, encoded.bytes(), encoded.length(), keepAlive);
                                    });
                          }
                        });
              }
            })
        .bind(port)
        .sync();
    System.out.println("lean port " + port);
    Thread.currentThread().join();
  }

  static void send(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, int length, boolean keepAlive) {
    int n = length == 0 ? body.length : length;
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body, 0, n));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, n);
    if (ctx.executor().inEventLoop()) {
      ctx.writeAndFlush(response);
    } else {
      ctx.executor().execute(() -> ctx.writeAndFlush(response));
    }
  }
}
