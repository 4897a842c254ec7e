package dev.infera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.server.NetworkTransport.IoUringSupport;
import io.netty.util.Version;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NetworkTransportTest {
  private static final Supplier<IoUringSupport> AVAILABLE = () -> new IoUringSupport(true, "");
  private static final Supplier<IoUringSupport> REFUSED =
      () -> new IoUringSupport(false, "failed to create io_uring ring fd: Operation not permitted");

  @Test
  void autoTakesIoUringWhereTheKernelAllowsIt() {
    assertThat(NetworkTransport.choose(null, AVAILABLE)).contains("io_uring");
    assertThat(NetworkTransport.choose("auto", AVAILABLE)).contains("io_uring");
    assertThat(NetworkTransport.choose(" ", AVAILABLE)).contains("io_uring");
  }

  @Test
  void autoLeavesArmeriasDefaultWhereIoUringIsRefused() {
    assertThat(NetworkTransport.choose(null, REFUSED)).isEmpty();
  }

  @Test
  void anExplicitChoiceIsTakenAsGiven() {
    assertThat(NetworkTransport.choose("epoll", AVAILABLE)).contains("epoll");
    assertThat(NetworkTransport.choose(" NIO ", AVAILABLE)).contains("nio");
    assertThat(NetworkTransport.choose("io_uring", AVAILABLE)).contains("io_uring");
  }

  @Test
  void ioUringAskedForWhereItIsRefusedFailsSayingWhy() {
    assertThatThrownBy(() -> NetworkTransport.choose("io_uring", REFUSED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "INFERA_TRANSPORT=io_uring, but io_uring is unavailable here (failed to create"
                + " io_uring ring fd: Operation not permitted); use auto or epoll");
  }

  @Test
  void anUnknownTransportIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> NetworkTransport.choose("turbo", AVAILABLE))
        .hasMessage(
            "INFERA_TRANSPORT=turbo is not a transport (expected auto, io_uring, epoll or nio)");
  }

  @Test
  void theOperatorsArmeriaPropertyWins() {
    Properties properties = new Properties();
    properties.setProperty(NetworkTransport.ARMERIA_PROPERTY, "nio");
    NetworkTransport.configure(Map.of("INFERA_TRANSPORT", "epoll"), properties, AVAILABLE);
    assertThat(properties.getProperty(NetworkTransport.ARMERIA_PROPERTY)).isEqualTo("nio");
  }

  @Test
  void configureSetsArmeriasPropertyOnlyWhenThereIsAChoice() {
    Properties chosen = new Properties();
    NetworkTransport.configure(Map.of(), chosen, AVAILABLE);
    assertThat(chosen.getProperty(NetworkTransport.ARMERIA_PROPERTY)).isEqualTo("io_uring");

    Properties left = new Properties();
    NetworkTransport.configure(Map.of(), left, REFUSED);
    assertThat(Optional.ofNullable(left.getProperty(NetworkTransport.ARMERIA_PROPERTY))).isEmpty();
  }

  @Test
  void ioUringComesFromTheSameNettyAsTheRest() {
    Map<String, Version> versions = Version.identify();
    assertThat(versions).containsKeys("netty-transport", "netty-transport-classes-io_uring");
    assertThat(versions.get("netty-transport-classes-io_uring").artifactVersion())
        .isEqualTo(versions.get("netty-transport").artifactVersion());
  }
}
