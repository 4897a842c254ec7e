"""One worker of Infera's Python backend: runs one instance of a model.py.

Started by the server (never by hand) as ``python3 infera_python_worker.py SHM_PATH``. Control
messages come on stdin and go back on the original stdout, each framed as a 4-byte little-endian
length and a UTF-8 JSON object; tensor data never goes through them: the server writes inputs
into the shared-memory file SHM_PATH and reads outputs from it, both sides mapping the same
pages. Whatever model.py prints goes to stderr, which the server logs.

Messages (server -> worker, answered in order, one at a time):
  load      imports model.py; runs TritonPythonModel.auto_complete_config when it exists
  init      TritonPythonModel().initialize(args)
  execute   one batch: requests with their input tensors' places in the shared memory
  finalize  TritonPythonModel.finalize(), then the worker exits
"""
import importlib.util
import json
import mmap
import os
import struct
import sys
import threading
import time
import traceback

try:
    import numpy as np

    import triton_python_backend_utils as pb_utils
except ImportError as missing:  # reported to the server as the answer to its first message
    MISSING = missing
else:
    MISSING = None

ALIGN = 64
DTYPES = None if MISSING else {
    "BOOL": np.bool_, "UINT8": np.uint8, "UINT16": np.uint16, "UINT32": np.uint32,
    "UINT64": np.uint64, "INT8": np.int8, "INT16": np.int16, "INT32": np.int32,
    "INT64": np.int64, "FP16": np.float16, "FP32": np.float32, "FP64": np.float64,
}
CODES = {} if MISSING else {
    pb_utils.TritonError.INVALID_ARG: "INVALID_ARGUMENT",
    pb_utils.TritonError.NOT_FOUND: "NOT_FOUND",
    pb_utils.TritonError.UNAVAILABLE: "UNAVAILABLE",
    pb_utils.TritonError.UNSUPPORTED: "UNIMPLEMENTED",
    pb_utils.TritonError.ALREADY_EXISTS: "FAILED_PRECONDITION",
    pb_utils.TritonError.CANCELLED: "CANCELLED",
}


class Failure(Exception):
    """An error to report to the server with its code."""

    def __init__(self, message, code="INTERNAL"):
        super().__init__(message)
        self.code = code


def protocol_name(array):
    if array.dtype == np.object_ or array.dtype.kind in ("S", "U"):
        return "BYTES"
    for name, np_type in DTYPES.items():
        if array.dtype == np.dtype(np_type):
            return name
    return None


class SharedMemory:
    """The worker's view of the instance's shared-memory file; grows when outputs need room."""

    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_RDWR)
        self.size = 0
        self.map = None
        self.remap(os.fstat(self.fd).st_size)

    def remap(self, size):
        if size != self.size:
            # The old map may still be referenced by arrays model.py kept; it is dropped, not closed.
            self.map = mmap.mmap(self.fd, size)
            self.size = size

    def ensure(self, size):
        if size > self.size:
            size = max(size, self.size * 2)
            os.ftruncate(self.fd, size)
            self.remap(size)

    def read(self, spec):
        shape = tuple(spec["shape"])
        offset, nbytes = spec["offset"], spec["nbytes"]
        if spec["dtype"] == "BYTES":
            return self.read_bytes(shape, offset, nbytes)
        dtype = np.dtype(DTYPES[spec["dtype"]])
        count = nbytes // dtype.itemsize
        if count == 0:
            return np.empty(shape, dtype)
        return np.frombuffer(self.map, dtype=dtype, count=count, offset=offset).reshape(shape)

    def read_bytes(self, shape, offset, nbytes):
        view = memoryview(self.map)[offset:offset + nbytes]
        count = int(np.prod(shape)) if shape else 1
        out = np.empty(count, dtype=np.object_)
        pos = 0
        for i in range(count):
            (length,) = struct.unpack_from("<I", view, pos)
            out[i] = bytes(view[pos + 4:pos + 4 + length])
            pos += 4 + length
        view.release()
        return out.reshape(shape)

    def write(self, array, offset):
        """Writes an array at offset; returns its byte size."""
        if array.dtype == np.object_ or array.dtype.kind in ("S", "U"):
            parts = []
            for element in array.reshape(-1):
                data = element.encode("utf-8") if isinstance(element, str) else bytes(element)
                parts.append(struct.pack("<I", len(data)))
                parts.append(data)
            blob = b"".join(parts)
            self.ensure(offset + len(blob))
            self.map[offset:offset + len(blob)] = blob
            return len(blob)
        flat = np.ascontiguousarray(array).reshape(-1)
        if flat.dtype.byteorder == ">":
            flat = flat.astype(flat.dtype.newbyteorder("<"))
        nbytes = flat.nbytes
        self.ensure(offset + nbytes)
        if nbytes:
            np.frombuffer(self.map, dtype=np.uint8, count=nbytes, offset=offset)[:] = flat.view(np.uint8)
        return nbytes


class Worker:
    def __init__(self, shm_path):
        self.shm = SharedMemory(shm_path)
        self.model_file = None
        self.label = "model.py"
        self.module = None
        self.model = None

    # --- errors ----------------------------------------------------------------------------
    def where(self, error):
        """' (1/model.py line 12, in execute)' for the innermost frame in model.py."""
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if self.model_file and os.path.abspath(f.filename) == self.model_file]
        if not frames:
            return ""
        frame = frames[-1]
        return f" ({self.label} line {frame.lineno}, in {frame.name})"

    def describe(self, error, during):
        if isinstance(error, SyntaxError) and error.filename and \
                os.path.abspath(error.filename) == self.model_file:
            return f"{self.label} line {error.lineno}: syntax error: {error.msg}"
        if isinstance(error, SyntaxError):
            return f"{type(error).__name__} {error.msg} in an imported module, line {error.lineno}"
        if isinstance(error, ModuleNotFoundError):
            return (f"{during} failed{self.where(error)}: {error} (ModuleNotFoundError): install"
                    f" the package in the worker's Python environment")
        return f"{during} failed{self.where(error)}: {type(error).__name__}: {error}"

    # --- messages --------------------------------------------------------------------------
    def load(self, message):
        self.model_file = os.path.abspath(message["model_file"])
        self.label = message["label"]
        model_dir = os.path.dirname(self.model_file)
        if model_dir not in sys.path:
            sys.path.insert(0, model_dir)
        spec = importlib.util.spec_from_file_location("model", self.model_file)
        module = importlib.util.module_from_spec(spec)
        sys.modules["model"] = module
        try:
            spec.loader.exec_module(module)
        except BaseException as e:  # noqa: BLE001 - reported to the server
            raise Failure(self.describe(e, "importing " + self.label)) from e
        cls = getattr(module, "TritonPythonModel", None)
        if cls is None:
            raise Failure(f"{self.label} defines no class TritonPythonModel")
        self.module = module
        config = message["model_config"]
        if hasattr(cls, "auto_complete_config"):
            try:
                completed = cls.auto_complete_config(pb_utils.ModelConfig(config))
            except BaseException as e:  # noqa: BLE001
                raise Failure(self.describe(e, "auto_complete_config")) from e
            if completed is not None:
                config = completed.as_dict()
        return {"model_config": config}

    def init(self, message):
        self.model = self.module.TritonPythonModel()
        if hasattr(self.model, "initialize"):
            try:
                self.model.initialize(message["args"])
            except BaseException as e:  # noqa: BLE001
                raise Failure(self.describe(e, "initialize")) from e
        return {}

    def execute(self, message):
        self.shm.remap(message["shm_size"])
        requests = []
        cursor = 0
        for entry in message["requests"]:
            tensors = []
            for spec in entry["inputs"]:
                tensors.append(pb_utils.Tensor(spec["name"], self.shm.read(spec)))
                cursor = max(cursor, spec["offset"] + spec["nbytes"])
            requests.append(pb_utils.InferenceRequest(
                tensors, entry["outputs"], entry.get("id", ""), timeout=entry.get("timeout", 0),
                model_name=message.get("model_name", ""), model_version=message.get("model_version", -1)))
        start = time.perf_counter_ns()
        try:
            responses = self.model.execute(requests)
        except pb_utils.TritonError as e:
            raise Failure(f"execute failed{self.where(e)}: {e.message()}",
                          CODES.get(e.code(), "INTERNAL")) from e
        except BaseException as e:  # noqa: BLE001
            raise Failure(self.describe(e, "execute")) from e
        exec_ns = time.perf_counter_ns() - start
        if not isinstance(responses, (list, tuple)) or len(responses) != len(requests):
            count = len(responses) if isinstance(responses, (list, tuple)) else type(responses).__name__
            raise Failure(f"execute returned {count} responses for {len(requests)} requests"
                          f" (expected a list of one InferenceResponse per request)")
        cursor = (cursor + ALIGN - 1) // ALIGN * ALIGN
        answers = []
        for request, response in zip(requests, responses):
            answer, cursor = self.answer(request, response, cursor)
            answers.append(answer)
        return {"responses": answers, "exec_ns": exec_ns, "shm_size": self.shm.size}

    def answer(self, request, response, cursor):
        if not isinstance(response, pb_utils.InferenceResponse):
            return {"error": f"execute returned {type(response).__name__} where an"
                             f" InferenceResponse was expected", "code": "INTERNAL"}, cursor
        if response.has_error():
            error = response.error()
            return {"error": error.message(), "code": CODES.get(error.code(), "INTERNAL")}, cursor
        by_name = {t.name(): t for t in response.output_tensors()}
        outputs = []
        for name in request.requested_output_names():
            tensor = by_name.get(name)
            if tensor is None:
                return {"error": f"{self.label}: the response has no output '{name}' (it has:"
                                 f" {', '.join(by_name) or 'none'})", "code": "INTERNAL"}, cursor
            array = tensor.as_numpy()
            dtype = protocol_name(array)
            if dtype is None:
                return {"error": f"{self.label}: output '{name}' has NumPy type {array.dtype},"
                                 f" which no tensor type matches", "code": "INTERNAL"}, cursor
            nbytes = self.shm.write(array, cursor)
            outputs.append({"name": name, "dtype": dtype, "shape": list(array.shape),
                            "offset": cursor, "nbytes": nbytes})
            cursor = (cursor + nbytes + ALIGN - 1) // ALIGN * ALIGN
        return {"outputs": outputs}, cursor

    def finalize(self, message):
        if self.model is not None and hasattr(self.model, "finalize"):
            try:
                self.model.finalize()
            except BaseException as e:  # noqa: BLE001
                raise Failure(self.describe(e, "finalize")) from e
        return {}


def watch_parent(parent):
    """Exits when the server is gone, even while model.py is busy in execute."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(3)


def main():
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # model.py's print() goes to stderr, never into the protocol
    protocol_in = sys.stdin.buffer
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    if MISSING is not None:
        header = protocol_in.read(4)
        if len(header) == 4:
            protocol_in.read(struct.unpack("<I", header)[0])
            version = sys.version.split()[0]
            data = json.dumps({"ok": False, "code": "FAILED_PRECONDITION", "error":
                               f"the worker's Python {version} cannot import {MISSING.name}, which"
                               f" the Python backend needs: install it (Debian: python3-numpy) or"
                               f" name another interpreter"}).encode("utf-8")
            protocol_out.write(struct.pack("<I", len(data)) + data)
            protocol_out.flush()
        return 1
    worker = Worker(sys.argv[1])
    handlers = {"load": worker.load, "init": worker.init, "execute": worker.execute,
                "finalize": worker.finalize}

    def send(reply):
        data = json.dumps(reply, separators=(",", ":")).encode("utf-8")
        protocol_out.write(struct.pack("<I", len(data)) + data)
        protocol_out.flush()

    while True:
        header = protocol_in.read(4)
        if len(header) < 4:
            return 0
        (length,) = struct.unpack("<I", header)
        message = json.loads(protocol_in.read(length))
        op = message.get("op")
        try:
            reply = handlers[op](message)
            reply["ok"] = True
        except Failure as e:
            reply = {"ok": False, "error": str(e), "code": e.code}
        except BaseException as e:  # noqa: BLE001 - a bug here must not leave the server waiting
            reply = {"ok": False, "error": f"{op} failed: {type(e).__name__}: {e}", "code": "INTERNAL"}
        send(reply)
        if op == "finalize":
            return 0


if __name__ == "__main__":
    sys.exit(main())
