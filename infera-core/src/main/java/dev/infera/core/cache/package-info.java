/**
 * The response cache (Triton's {@code --cache-config local,size=BYTES} with a model's {@code
 * response_cache { enable: true }}): one server-wide Caffeine cache weighed by bytes, keyed by the
 * model version's load and the full content of each request. Depends on the scheduling package, the
 * backend SPI's tensors, Caffeine and Micrometer; knows nothing of transports.
 */
package dev.infera.core.cache;
