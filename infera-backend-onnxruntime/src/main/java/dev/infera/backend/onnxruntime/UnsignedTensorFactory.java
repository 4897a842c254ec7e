package dev.infera.backend.onnxruntime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.infera.spi.ErrorCode;
import dev.infera.spi.InferenceException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Creates UINT16, UINT32 and UINT64 input tensors, which ONNX Runtime's public Java API (1.28)
 * cannot: its {@code OnnxJavaType} has no unsigned 16/32/64-bit members, so every public factory
 * method yields a signed tensor, and the session rejects a signed tensor for an unsigned input.
 *
 * <p>The native side has no such gap: the package-private path every public buffer factory takes
 * ends in a native call that accepts any ONNX element type code. This class calls that path
 * reflectively with the unsigned type code, wrapping a direct buffer without copying, and builds
 * the {@link OnnxTensor} the way the public factories do. The resulting tensor reads back as the
 * signed Java type of the same width (how ONNX Runtime itself reports unsigned outputs).
 *
 * <p>This depends on ONNX Runtime internals of the pinned version and on the library being on the
 * class path (an unnamed module). If the members are missing or inaccessible, creating such a
 * tensor fails with {@link ErrorCode#UNIMPLEMENTED} naming the input and the reason; everything
 * else keeps working. Thread-safe: the reflective handles are resolved once and never change.
 */
final class UnsignedTensorFactory {
  private static final Access ACCESS = Access.resolve();

  private UnsignedTensorFactory() {}

  /** Whether this ONNX Runtime build lets unsigned 16/32/64-bit tensors be created. */
  static boolean available() {
    return ACCESS.failure == null;
  }

  /**
   * Wraps {@code data} (direct, native order, positioned at the first element) as a tensor of
   * {@code onnxType} without copying. The tensor keeps a reference to the buffer until closed.
   */
  static OnnxTensor create(
      OrtEnvironment env,
      String inputName,
      ByteBuffer data,
      long[] shape,
      OnnxTensorType onnxType) {
    if (ACCESS.failure != null) {
      throw new InferenceException(
          ErrorCode.UNIMPLEMENTED,
          "input '"
              + inputName
              + "': this ONNX Runtime Java build cannot create "
              + onnxType
              + " tensors ("
              + ACCESS.failure
              + ")");
    }
    if (!data.isDirect()) {
      throw new IllegalArgumentException("input '" + inputName + "': buffer must be direct");
    }
    try {
      long allocator = ACCESS.allocatorHandle(env);
      long handle =
          (long)
              ACCESS.createFromBuffer.invoke(
                  null,
                  ACCESS.apiHandle,
                  allocator,
                  data,
                  data.position(),
                  (long) data.remaining(),
                  shape.clone(),
                  onnxType.value);
      TensorInfo info =
          ACCESS.tensorInfo.newInstance(
              shape.clone(), OnnxJavaType.mapFromOnnxTensorType(onnxType), onnxType);
      return ACCESS.tensor.newInstance(handle, allocator, info, data, false);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new InferenceException(
          ErrorCode.INTERNAL,
          "input '" + inputName + "': ONNX Runtime could not create the tensor: " + cause,
          cause);
    } catch (ReflectiveOperationException e) {
      throw new InferenceException(
          ErrorCode.UNIMPLEMENTED,
          "input '" + inputName + "': cannot create " + onnxType + " tensors: " + e,
          e);
    }
  }

  /** The reflective handles, or the reason they are unavailable. */
  private static final class Access {
    final Method createFromBuffer;
    final Constructor<TensorInfo> tensorInfo;
    final Constructor<OnnxTensor> tensor;
    final Field defaultAllocator;
    final Field allocatorHandleField;
    final long apiHandle;
    final String failure;

    private Access(
        Method createFromBuffer,
        Constructor<TensorInfo> tensorInfo,
        Constructor<OnnxTensor> tensor,
        Field defaultAllocator,
        Field allocatorHandleField,
        long apiHandle,
        String failure) {
      this.createFromBuffer = createFromBuffer;
      this.tensorInfo = tensorInfo;
      this.tensor = tensor;
      this.defaultAllocator = defaultAllocator;
      this.allocatorHandleField = allocatorHandleField;
      this.apiHandle = apiHandle;
      this.failure = failure;
    }

    static Access resolve() {
      try {
        // Loads the native library, as any use of ONNX Runtime does.
        OrtEnvironment.getEnvironment();
        Method create =
            OnnxTensor.class.getDeclaredMethod(
                "createTensorFromBuffer",
                long.class,
                long.class,
                Buffer.class,
                int.class,
                long.class,
                long[].class,
                int.class);
        create.setAccessible(true);
        Constructor<TensorInfo> info =
            TensorInfo.class.getDeclaredConstructor(
                long[].class, OnnxJavaType.class, OnnxTensorType.class);
        info.setAccessible(true);
        Constructor<OnnxTensor> tensor =
            OnnxTensor.class.getDeclaredConstructor(
                long.class, long.class, TensorInfo.class, Buffer.class, boolean.class);
        tensor.setAccessible(true);
        Field api = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
        api.setAccessible(true);
        Field allocator = OrtEnvironment.class.getDeclaredField("defaultAllocator");
        allocator.setAccessible(true);
        Field handle = allocator.getType().getDeclaredField("handle");
        handle.setAccessible(true);
        return new Access(create, info, tensor, allocator, handle, api.getLong(null), null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return new Access(
            null, null, null, null, null, 0, "its internal tensor factory is not accessible: " + e);
      }
    }

    long allocatorHandle(OrtEnvironment env) throws IllegalAccessException {
      return allocatorHandleField.getLong(defaultAllocator.get(env));
    }
  }
}
