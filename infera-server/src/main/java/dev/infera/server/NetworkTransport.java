package dev.infera.server;

import com.linecorp.armeria.common.Flags;
import io.netty.channel.uring.IoUring;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Which socket transport the process's servers and clients use: io_uring where the kernel allows
 * it, else Armeria's default (epoll on Linux). Measured side by side, io_uring costs about a fifth
 * less server CPU per small REST request over HTTP/1 than epoll here (fewer system calls per
 * request), and the same for gRPC over HTTP/2 (docs/benchmarks.md, "Sockets through io_uring").
 *
 * <p>Armeria reads its transport once per JVM and takes io_uring only when named in its system
 * property {@value #ARMERIA_PROPERTY}, so {@link #configure} must run before any Armeria class is
 * used: before a command that opens sockets runs ({@code InferaCommand}). The choice, in order:
 * that system property when the operator set it; {@value #ENVIRONMENT} ({@code auto}, the default,
 * {@code io_uring}, {@code epoll} or {@code nio}); for {@code auto}, io_uring when the kernel lets
 * this process open a ring (an old kernel, {@code kernel.io_uring_disabled} or a container's
 * seccomp profile may refuse it).
 */
public final class NetworkTransport {
  /** Armeria's system property naming the transport. */
  public static final String ARMERIA_PROPERTY = "com.linecorp.armeria.transportType";

  /** The environment variable that chooses the transport. */
  public static final String ENVIRONMENT = "INFERA_TRANSPORT";

  private static final String AUTO = "auto";
  private static final String IO_URING = "io_uring";

  private NetworkTransport() {}

  /** Whether this process may use io_uring, and if not, why. */
  record IoUringSupport(boolean available, String unavailableBecause) {
    static IoUringSupport probe() {
      if (IoUring.isAvailable()) {
        return new IoUringSupport(true, "");
      }
      Throwable cause = IoUring.unavailabilityCause();
      return new IoUringSupport(
          false, cause == null ? "unknown" : String.valueOf(cause.getMessage()));
    }
  }

  /**
   * Sets {@value #ARMERIA_PROPERTY} from {@value #ENVIRONMENT} unless the operator set it.
   *
   * @throws IllegalArgumentException naming the choices when {@value #ENVIRONMENT} holds something
   *     else, or when it asks for io_uring where io_uring is refused
   */
  public static void configure(Map<String, String> environment) {
    configure(environment, System.getProperties(), IoUringSupport::probe);
  }

  static void configure(
      Map<String, String> environment, Properties properties, Supplier<IoUringSupport> ioUring) {
    if (properties.getProperty(ARMERIA_PROPERTY) != null) {
      return;
    }
    choose(environment.get(ENVIRONMENT), ioUring)
        .ifPresent(transport -> properties.setProperty(ARMERIA_PROPERTY, transport));
  }

  /**
   * The value for {@value #ARMERIA_PROPERTY}, or empty to leave Armeria's default.
   *
   * @param requested {@value #ENVIRONMENT}'s value; null or blank means {@code auto}
   */
  static Optional<String> choose(String requested, Supplier<IoUringSupport> ioUring) {
    String setting =
        requested == null || requested.isBlank() ? AUTO : requested.trim().toLowerCase(Locale.ROOT);
    switch (setting) {
      case AUTO -> {
        return ioUring.get().available() ? Optional.of(IO_URING) : Optional.empty();
      }
      case IO_URING -> {
        IoUringSupport support = ioUring.get();
        if (!support.available()) {
          throw new IllegalArgumentException(
              ENVIRONMENT
                  + "=io_uring, but io_uring is unavailable here ("
                  + support.unavailableBecause()
                  + "); use auto or epoll");
        }
        return Optional.of(IO_URING);
      }
      case "epoll", "nio" -> {
        return Optional.of(setting);
      }
      default ->
          throw new IllegalArgumentException(
              ENVIRONMENT
                  + "="
                  + requested
                  + " is not a transport (expected auto, io_uring, epoll or nio)");
    }
  }

  /**
   * The transport this process's servers use, for the start-up log; when it is not io_uring because
   * io_uring is refused, why.
   */
  static String describe() {
    String inUse = Flags.transportType().lowerCasedName();
    if (inUse.equals(IO_URING)) {
      return inUse;
    }
    IoUringSupport support = IoUringSupport.probe();
    return support.available()
        ? inUse
        : inUse + " (io_uring unavailable: " + support.unavailableBecause() + ")";
  }
}
