package dev.infera.server.security;

import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code OPTIONS *} answers in its {@code allow} header: the methods Infera's routes serve.
 *
 * <p>Armeria answers {@code OPTIONS *} itself, over HTTP/1.1 and HTTP/2, before any route or
 * decorator runs, with an {@code allow} value it builds once from every method it knows (TRACE and
 * CONNECT included, which no Infera route serves) and offers no setting for. That value is a
 * constant of its server handler, so it is replaced there once, before the first server starts. If
 * a later Armeria keeps it elsewhere, the server starts anyway with Armeria's list and says so in
 * the log; {@code AsteriskOptionsIT} fails on such an upgrade.
 */
public final class AsteriskOptions {
  /** Every method some Infera route serves ({@code HEAD} with each {@code GET}). */
  public static final String ALLOWED = "OPTIONS,GET,HEAD,POST,PUT,DELETE";

  private static final Logger LOG = LoggerFactory.getLogger(AsteriskOptions.class);
  private static final String HANDLER = "com.linecorp.armeria.server.HttpServerHandler";
  private static final String FIELD = "ALLOWED_METHODS_STRING";

  private static boolean applied;

  private AsteriskOptions() {}

  /** Makes {@code OPTIONS *} list {@link #ALLOWED}; idempotent, and true once that holds. */
  public static synchronized boolean apply() {
    if (applied) {
      return true;
    }
    try {
      // Initialising the class first, so its own initialiser cannot write the field afterwards.
      Field field =
          Class.forName(HANDLER, true, AsteriskOptions.class.getClassLoader())
              .getDeclaredField(FIELD);
      Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
      theUnsafe.setAccessible(true);
      sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
      unsafe.putObjectVolatile(
          unsafe.staticFieldBase(field), unsafe.staticFieldOffset(field), ALLOWED);
      applied = ALLOWED.equals(readBack(field));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      applied = false;
    }
    if (!applied) {
      LOG.warn(
          "OPTIONS * will list every method Armeria knows (TRACE and CONNECT included): its"
              + " list could not be replaced in this Armeria version; those methods still answer"
              + " 405");
    }
    return applied;
  }

  private static Object readBack(Field field) throws IllegalAccessException {
    field.setAccessible(true);
    return field.get(null);
  }
}
