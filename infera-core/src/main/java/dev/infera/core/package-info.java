/**
 * Infera's engine, free of any transport: the in-process {@link dev.infera.core.InferenceService}
 * that frontends call, and the request and response types it takes. Depends on infera-spi; never on
 * a frontend, a backend or a transport library.
 */
package dev.infera.core;
