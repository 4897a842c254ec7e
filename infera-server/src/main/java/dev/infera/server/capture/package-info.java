/**
 * Payload capture: a sampled fraction of each watched model's answered requests, with their
 * responses, written as JSON Lines to rotating files by one background thread behind a bounded
 * queue (docs/observability.md has the format). Capture never slows or fails inference: a full
 * queue drops and counts, a failed write (a full disk) counts and logs.
 */
package dev.infera.server.capture;
