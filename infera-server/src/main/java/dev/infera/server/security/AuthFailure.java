package dev.infera.server.security;

import dev.infera.spi.ErrorCode;
import java.util.Locale;

/** Why a call was refused; the {@code reason} label of {@code infera_auth_failures_total}. */
public enum AuthFailure {
  /** No {@code Authorization} header (HTTP 401 / UNAUTHENTICATED). */
  MISSING_CREDENTIALS(ErrorCode.UNAUTHENTICATED),
  /** A header that is not {@code Bearer <key>} (401 / UNAUTHENTICATED). */
  MALFORMED_CREDENTIALS(ErrorCode.UNAUTHENTICATED),
  /** A key no entry of the auth file matches (401 / UNAUTHENTICATED). */
  INVALID_KEY(ErrorCode.UNAUTHENTICATED),
  /** A valid key without the role the endpoint needs (403 / PERMISSION_DENIED). */
  MISSING_ROLE(ErrorCode.PERMISSION_DENIED);

  private final ErrorCode code;

  AuthFailure(ErrorCode code) {
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The metric label: {@code missing_credentials}, {@code invalid_key}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
