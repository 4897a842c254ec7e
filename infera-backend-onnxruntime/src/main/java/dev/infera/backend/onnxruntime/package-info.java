/**
 * ONNX Runtime backend: serves ONNX models with ONNX Runtime's Java API, found by {@link
 * java.util.ServiceLoader} as {@link dev.infera.backend.onnxruntime.OnnxRuntimeBackend}.
 *
 * <p>May depend on infera-spi and ONNX Runtime only; everything but the backend class is
 * package-private.
 */
package dev.infera.backend.onnxruntime;
