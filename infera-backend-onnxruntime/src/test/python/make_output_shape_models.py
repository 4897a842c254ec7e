#!/usr/bin/python3
"""Writes the output_shapes model, for the tests of outputs written into buffers Infera provides.

INPUT0 ["batch", 3] FP32 and three outputs:
  STACKED  Concat(INPUT0, INPUT0) along axis 0, declared ["rows", 3]: its first dimension is named
           after no input dimension, so its shape cannot be known before the run;
  MISLABELLED  the same Concat, declared ["batch", 3]: the declaration says the input's batch size,
           but the run produces twice as many rows;
  COPY     Identity(INPUT0), declared ["batch", 3].

Run with Debian's python and its packages (apt-get install -y python3-onnx):

    /usr/bin/python3 src/test/python/make_output_shape_models.py

from the module folder. Output: src/test/resources/models/output_shapes/1/model.onnx, IR version 8,
opset 17. Running it again gives a byte-identical file.
"""

import os
import sys

import onnx
from onnx import TensorProto, helper


def output_shapes_model():
    graph = helper.make_graph(
        [
            helper.make_node("Concat", ["INPUT0", "INPUT0"], ["STACKED"], axis=0, name="stack"),
            helper.make_node("Concat", ["INPUT0", "INPUT0"], ["MISLABELLED"], axis=0, name="stack2"),
            helper.make_node("Identity", ["INPUT0"], ["COPY"], name="copy"),
        ],
        "output_shapes",
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, ["batch", 3])],
        [
            helper.make_tensor_value_info("STACKED", TensorProto.FLOAT, ["rows", 3]),
            helper.make_tensor_value_info("MISLABELLED", TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("COPY", TensorProto.FLOAT, ["batch", 3]),
        ],
    )
    model = helper.make_model(
        graph,
        producer_name="make_output_shape_models.py",
        opset_imports=[helper.make_opsetid("", 17)],
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    test_folder = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folder = os.path.join(test_folder, "resources", "models", "output_shapes", "1")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    with open(path, "wb") as f:
        f.write(output_shapes_model().SerializeToString())
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
