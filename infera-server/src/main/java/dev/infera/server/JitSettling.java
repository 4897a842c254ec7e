package dev.infera.server;

/**
 * The warm-up's stopping rule, as pure logic: the process CPU time per request is read over
 * successive short windows, and the JIT counts as settled once that reading stopped falling by more
 * than {@link #MAX_DROP} from one window to the next while the JIT compilers were mostly idle (busy
 * at most {@link #MAX_JIT_BUSY} of the window), twice in a row, after at least a minimum number of
 * windows and a minimum number of requests. The compilers' share matters because a reading can stay
 * flat, or even rise, while C2 works through a queue of hot methods on a machine with few cores:
 * the compilers take the CPU the requests would use, and the code is not fast yet. The request
 * floor exists because a steady reading alone can mislead: HotSpot compiles a method with C2 only
 * after about 15,000 invocations (its {@code Tier4CompileThreshold}), so per-request code is still
 * interpreted or in C1 after a few hundred requests, and on a saturated machine the compiler's own
 * CPU time can hold the reading flat. A window without requests tells nothing and is ignored.
 *
 * <p>Not thread-safe: one warm-up thread feeds it.
 */
final class JitSettling {
  /** A fall of more than this share from one window to the next means the JIT is still working. */
  static final double MAX_DROP = 0.10;

  /**
   * A window in which the JIT compilers were busy more than this share of its length (1.0: one
   * compiler thread all along) does not count as stable: compiled code is still on its way.
   */
  static final double MAX_JIT_BUSY = 0.25;

  private static final int STABLE_WINDOWS = 2;

  private final int minWindows;
  private final long minRequests;
  private long requests;
  private int windows;
  private int stable;
  private double previous = Double.NaN;
  private double last = Double.NaN;

  JitSettling(int minWindows, long minRequests) {
    this.minWindows = minWindows;
    this.minRequests = minRequests;
  }

  /** As {@link #add(long, long, double)} where the JVM does not tell the compilers' time. */
  boolean add(long cpuNanos, long windowRequests) {
    return add(cpuNanos, windowRequests, Double.NaN);
  }

  /**
   * Adds one window's reading.
   *
   * @param cpuNanos the process CPU time spent in the window, in nanoseconds
   * @param windowRequests the warm-up requests answered in the window
   * @param jitBusy the JIT compilers' time in the window over its length; NaN where unknown
   * @return whether the JIT counts as settled now
   */
  boolean add(long cpuNanos, long windowRequests, double jitBusy) {
    if (windowRequests <= 0) {
      return false;
    }
    double perRequest = (double) cpuNanos / windowRequests;
    requests += windowRequests;
    windows++;
    if (!Double.isNaN(last)) {
      boolean compiling = !Double.isNaN(jitBusy) && jitBusy > MAX_JIT_BUSY;
      stable = perRequest >= last * (1 - MAX_DROP) && !compiling ? stable + 1 : 0;
    }
    previous = last;
    last = perRequest;
    return settled();
  }

  boolean settled() {
    return windows >= minWindows && requests >= minRequests && stable >= STABLE_WINDOWS;
  }

  /** The last window's CPU time per request, in nanoseconds; NaN before the first. */
  double lastNanosPerRequest() {
    return last;
  }

  /** The last window's change from the one before, as a share (-0.05 is 5 % less); NaN if none. */
  double lastChange() {
    return Double.isNaN(previous) ? Double.NaN : last / previous - 1;
  }
}
