"""Triton's ``triton_python_backend_utils`` API as Infera's Python backend provides it.

A ``model.py`` written for Triton's Python backend imports this module (usually as
``pb_utils``) and runs unchanged where it uses what is here: tensors, requests and responses,
errors, the configuration helpers and ``auto_complete_config``'s ``ModelConfig``. Decoupled
models, BLS (``InferenceRequest.exec``) and GPU tensors handed between processes are not
supported; see docs/backends/python.md.
"""
import json

import numpy as np

TRITONSERVER_REQUEST_FLAG_SEQUENCE_START = 1
TRITONSERVER_REQUEST_FLAG_SEQUENCE_END = 2
TRITONSERVER_RESPONSE_COMPLETE_FINAL = 1

_TRITON_TO_NUMPY = {
    "TYPE_BOOL": np.bool_,
    "TYPE_UINT8": np.uint8,
    "TYPE_UINT16": np.uint16,
    "TYPE_UINT32": np.uint32,
    "TYPE_UINT64": np.uint64,
    "TYPE_INT8": np.int8,
    "TYPE_INT16": np.int16,
    "TYPE_INT32": np.int32,
    "TYPE_INT64": np.int64,
    "TYPE_FP16": np.float16,
    "TYPE_FP32": np.float32,
    "TYPE_FP64": np.float64,
    "TYPE_STRING": np.object_,
}


def triton_string_to_numpy(triton_type_string):
    """``TYPE_FP32`` -> ``numpy.float32``; ``TYPE_STRING`` -> ``numpy.object_``."""
    return _TRITON_TO_NUMPY.get(triton_type_string)


def numpy_to_triton_type(data_type):
    for name, np_type in _TRITON_TO_NUMPY.items():
        if np.dtype(data_type) == np.dtype(np_type):
            return name
    if np.dtype(data_type).kind in ("S", "U"):
        return "TYPE_STRING"
    return None


def triton_to_numpy_type(data_type):
    return triton_string_to_numpy(data_type)


class TritonError(Exception):
    """An error a response carries to its caller; ``code`` picks the status as Triton does."""

    UNKNOWN = 0
    INTERNAL = 1
    NOT_FOUND = 2
    INVALID_ARG = 3
    UNAVAILABLE = 4
    UNSUPPORTED = 5
    ALREADY_EXISTS = 6
    CANCELLED = 7

    def __init__(self, message, code=INTERNAL):
        super().__init__(message)
        self._message = message
        self._code = code

    def message(self):
        return self._message

    def code(self):
        return self._code


class TritonModelException(Exception):
    """Raised by this module's helpers for misuse, as Triton's stub does."""


class Tensor:
    """A named tensor backed by a NumPy array (CPU memory)."""

    def __init__(self, name, tensor, *args, **kwargs):
        if not isinstance(tensor, np.ndarray):
            raise TritonModelException(
                f"tensor '{name}': expected a numpy.ndarray, got {type(tensor).__name__}")
        self._name = name
        self._array = tensor

    def name(self):
        return self._name

    def as_numpy(self):
        return self._array

    def shape(self):
        return list(self._array.shape)

    def triton_dtype(self):
        return numpy_to_triton_type(self._array.dtype)

    def is_cpu(self):
        return True

    def to_dlpack(self):
        if self._array.dtype == np.object_:
            raise TritonModelException(f"tensor '{self._name}': BYTES tensors have no DLPack form")
        return self._array.__dlpack__()

    @staticmethod
    def from_dlpack(name, capsule):
        """A tensor from a DLPack object (a torch tensor, a CuPy array...); copied to the CPU."""
        if hasattr(capsule, "cpu") and hasattr(capsule, "numpy"):  # torch.Tensor
            return Tensor(name, capsule.detach().cpu().numpy())
        return Tensor(name, np.from_dlpack(capsule))

    def __repr__(self):
        return f"Tensor({self._name!r}, {self._array.dtype}, {list(self._array.shape)})"


class InferenceRequest:
    """One request of a batch, as ``execute`` receives it."""

    def __init__(self, inputs, requested_output_names, request_id="", correlation_id=0,
                 flags=0, parameters="{}", timeout=0, model_name="", model_version=-1):
        self._inputs = list(inputs)
        self._requested = list(requested_output_names)
        self._id = request_id
        self._correlation_id = correlation_id
        self._flags = flags
        self._parameters = parameters
        self._timeout = timeout
        self._model_name = model_name
        self._model_version = model_version

    def inputs(self):
        return self._inputs

    def requested_output_names(self):
        return self._requested

    def request_id(self):
        return self._id

    def correlation_id(self):
        return self._correlation_id

    def flags(self):
        return self._flags

    def parameters(self):
        return self._parameters

    def timeout(self):
        return self._timeout

    def model_name(self):
        return self._model_name

    def model_version(self):
        return self._model_version

    def is_cancelled(self):
        return False

    def exec(self, *args, **kwargs):
        raise TritonModelException("BLS (InferenceRequest.exec) is not supported by Infera")

    def async_exec(self, *args, **kwargs):
        raise TritonModelException("BLS (InferenceRequest.async_exec) is not supported by Infera")


class InferenceResponse:
    """What ``execute`` returns for one request: output tensors, or an error."""

    def __init__(self, output_tensors=None, error=None, parameters=None):
        self._outputs = list(output_tensors or [])
        if error is not None and not isinstance(error, TritonError):
            error = TritonError(str(error))
        self._error = error
        self._parameters = parameters

    def output_tensors(self):
        return self._outputs

    def has_error(self):
        return self._error is not None

    def error(self):
        return self._error


def get_input_tensor_by_name(inference_request, name):
    for tensor in inference_request.inputs():
        if tensor.name() == name:
            return tensor
    return None


def get_output_tensor_by_name(inference_response, name):
    for tensor in inference_response.output_tensors():
        if tensor.name() == name:
            return tensor
    return None


def _by_name(model_config, section, name):
    if isinstance(model_config, str):
        model_config = json.loads(model_config)
    for entry in model_config.get(section, []):
        if entry.get("name") == name:
            return entry
    return None


def get_input_config_by_name(model_config, name):
    return _by_name(model_config, "input", name)


def get_output_config_by_name(model_config, name):
    return _by_name(model_config, "output", name)


class ModelConfig:
    """What ``auto_complete_config`` receives and returns (Triton's ``auto_complete_model_config``)."""

    def __init__(self, model_config):
        self._config = json.loads(model_config) if isinstance(model_config, str) else model_config

    def as_dict(self):
        return self._config

    def max_batch_size(self):
        return int(self._config.get("max_batch_size", 0))

    def set_max_batch_size(self, max_batch_size):
        self._config["max_batch_size"] = int(max_batch_size)

    def set_dynamic_batching(self):
        self._config.setdefault("dynamic_batching", {})

    def _add(self, section, tensor):
        if not isinstance(tensor, dict) or not {"name", "data_type", "dims"} <= tensor.keys():
            raise TritonModelException(
                f"{section} must be a dict with 'name', 'data_type' and 'dims', got {tensor!r}")
        entries = self._config.setdefault(section, [])
        for existing in entries:
            if existing["name"] == tensor["name"]:
                if existing.get("data_type") not in (None, tensor["data_type"]) or \
                        [int(d) for d in existing.get("dims", [])] not in ([], [int(d) for d in tensor["dims"]]):
                    raise TritonModelException(
                        f"{section} '{tensor['name']}' is already in the configuration with another"
                        f" data_type or dims")
                existing.update(tensor)
                return
        entries.append(dict(tensor))

    def add_input(self, input):  # noqa: A002 - Triton's name
        self._add("input", input)

    def add_output(self, output):
        self._add("output", output)

    def set_model_transaction_policy(self, policy):
        if policy.get("decoupled"):
            raise TritonModelException("decoupled models are not supported by Infera")


class Logger:
    """Triton's ``pb_utils.Logger``: lines go to the worker's stderr, which the server logs."""

    @staticmethod
    def _log(level, message):
        import sys

        print(f"{level} {message}", file=sys.stderr, flush=True)

    @classmethod
    def log_info(cls, message):
        cls._log("INFO", message)

    @classmethod
    def log_warn(cls, message):
        cls._log("WARN", message)

    @classmethod
    def log_error(cls, message):
        cls._log("ERROR", message)

    @classmethod
    def log_verbose(cls, message):
        cls._log("VERBOSE", message)

    @classmethod
    def log(cls, message, level=None):
        cls._log("INFO", message)
