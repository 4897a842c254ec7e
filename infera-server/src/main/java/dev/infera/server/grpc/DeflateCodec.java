package dev.infera.server.grpc;

import io.grpc.Codec;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * gRPC's {@code deflate} message encoding, which grpc-java leaves out and Triton's clients offer
 * ({@code compression_algorithm="deflate"}): zlib-wrapped deflate (RFC 1950), as gRPC's C core
 * writes it, through the JDK's own zlib. Stateless; each message gets its own streams.
 */
public final class DeflateCodec implements Codec {
  public static final DeflateCodec INSTANCE = new DeflateCodec();

  private DeflateCodec() {}

  @Override
  public String getMessageEncoding() {
    return "deflate";
  }

  @Override
  public OutputStream compress(OutputStream os) {
    return new DeflaterOutputStream(os);
  }

  @Override
  public InputStream decompress(InputStream is) {
    return new InflaterInputStream(is);
  }
}
