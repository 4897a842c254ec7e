package dev.infera.core.lifecycle;

/** The state of one model version, as Triton names them. */
public enum ModelState {
  /** Being loaded or warmed up; not yet routed to. */
  LOADING,
  /** Serving requests. */
  READY,
  /** Finishing its in-flight requests before its resources are freed; no new requests. */
  UNLOADING,
  /** Not serving: failed to load, or unloaded. The status carries the reason. */
  UNAVAILABLE
}
