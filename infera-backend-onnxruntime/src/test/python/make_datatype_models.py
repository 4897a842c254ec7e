#!/usr/bin/python3
"""Writes one tiny Identity model per tensor element type, for the backend's data type tests.

Each model maps INPUT0 to OUTPUT0 unchanged, both of shape ["batch", 3], so the tests can
check that every value (negative integers, unsigned values above the signed range, FP16 bit
patterns, UTF-8 strings) survives the trip into and out of ONNX Runtime.

Run with Debian's python and its packages (apt-get install -y python3-onnx python3-numpy):

    /usr/bin/python3 src/test/python/make_datatype_models.py

from the module folder. Output: src/test/resources/models/identity_<type>/1/model.onnx,
IR version 8, opset 17. Running it again gives byte-identical files.
"""

import os
import sys

import onnx
from onnx import TensorProto, helper

# KServe datatype name -> ONNX element type
TYPES = {
    "bool": TensorProto.BOOL,
    "int8": TensorProto.INT8,
    "int16": TensorProto.INT16,
    "int32": TensorProto.INT32,
    "int64": TensorProto.INT64,
    "uint8": TensorProto.UINT8,
    "uint16": TensorProto.UINT16,
    "uint32": TensorProto.UINT32,
    "uint64": TensorProto.UINT64,
    "fp16": TensorProto.FLOAT16,
    "fp32": TensorProto.FLOAT,
    "fp64": TensorProto.DOUBLE,
    "bf16": TensorProto.BFLOAT16,
    "bytes": TensorProto.STRING,
}


def identity_model(name, element_type):
    dims = ["batch", 3]
    graph = helper.make_graph(
        [helper.make_node("Identity", ["INPUT0"], ["OUTPUT0"], name="identity")],
        "identity_" + name,
        [helper.make_tensor_value_info("INPUT0", element_type, dims)],
        [helper.make_tensor_value_info("OUTPUT0", element_type, dims)],
    )
    model = helper.make_model(
        graph,
        producer_name="make_datatype_models.py",
        opset_imports=[helper.make_opsetid("", 17)],
    )
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    test_folder = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(test_folder, "resources", "models")
    for name, element_type in TYPES.items():
        folder = os.path.join(out, "identity_" + name, "1")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "model.onnx")
        with open(path, "wb") as f:
            f.write(identity_model(name, element_type).SerializeToString())
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
