/**
 * Python backend: Triton's {@code model.py} contract ({@code TritonPythonModel} with {@code
 * initialize}, {@code execute}, {@code finalize}, {@code auto_complete_config}) run in one
 * supervised Python worker process per instance. Tensors pass through a shared-memory file per
 * instance; small JSON control messages go over the worker's stdin and stdout. {@link
 * dev.infera.backend.python.PythonBackend} is the only public type; it is found with {@link
 * java.util.ServiceLoader}.
 *
 * <p>Depends on infera-spi and Jackson (for the control messages) only; the JVM never loads Python
 * or CUDA.
 */
package dev.infera.backend.python;
