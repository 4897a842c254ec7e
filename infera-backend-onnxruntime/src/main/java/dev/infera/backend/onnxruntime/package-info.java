/** ONNX Runtime backend: serves ONNX models with ONNX Runtime. Depends on infera-spi only. */
package dev.infera.backend.onnxruntime;
