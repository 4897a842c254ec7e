#!/usr/bin/python3
"""Writes the slow_mlp test model: tabular_mlp's signature, but about half a second per batch of
256 rows on one thread, so that a Spark task stopped early still has batches queued.

features ["batch", 64] FP32 -> probabilities ["batch", 2] FP32: one MatMul to 256 wide, then a Loop
of LOOPS iterations of Tanh(MatMul(x, W)) with a 256 x 256 W, then the first two columns through
Softmax. Weights are fixed (seeded), so the outputs are deterministic.

Run with Debian's python and its packages (apt-get install -y python3-onnx python3-numpy):

    /usr/bin/python3 src/test/python/make_slow_model.py

from the module folder. Output: src/test/resources/models/slow_mlp/1/model.onnx (IR version 8,
opset 17); config.pbtxt beside it is kept by hand.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LOOPS = 1500
WIDTH = 256


def slow_model():
    rng = np.random.default_rng(11)
    w_in = numpy_helper.from_array(
        (rng.standard_normal((64, WIDTH)) / 8).astype(np.float32), "w_in")
    w_loop = numpy_helper.from_array(
        (rng.standard_normal((WIDTH, WIDTH)) / 16).astype(np.float32), "w_loop")
    trips = numpy_helper.from_array(np.array(LOOPS, dtype=np.int64), "trips")
    keep_going = numpy_helper.from_array(np.array(True), "keep_going")
    starts = numpy_helper.from_array(np.array([0], dtype=np.int64), "starts")
    ends = numpy_helper.from_array(np.array([2], dtype=np.int64), "ends")
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")

    body = helper.make_graph(
        [
            helper.make_node("MatMul", ["x_in", "w_loop"], ["mixed"]),
            helper.make_node("Tanh", ["mixed"], ["x_out"]),
            helper.make_node("Identity", ["cond_in"], ["cond_out"]),
        ],
        "body",
        [
            helper.make_tensor_value_info("i", TensorProto.INT64, []),
            helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
            helper.make_tensor_value_info("x_in", TensorProto.FLOAT, ["batch", WIDTH]),
        ],
        [
            helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
            helper.make_tensor_value_info("x_out", TensorProto.FLOAT, ["batch", WIDTH]),
        ],
    )
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["features", "w_in"], ["hidden"]),
            helper.make_node("Loop", ["trips", "keep_going", "hidden"], ["looped"], body=body),
            helper.make_node("Slice", ["looped", "starts", "ends", "axes"], ["two"]),
            helper.make_node("Softmax", ["two"], ["probabilities"], axis=1),
        ],
        "slow_mlp",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 64])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 2])],
        initializer=[w_in, w_loop, trips, keep_going, starts, ends, axes],
    )
    model = helper.make_model(
        graph, producer_name="make_slow_model.py", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    test_folder = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folder = os.path.join(test_folder, "resources", "models", "slow_mlp", "1")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    with open(path, "wb") as f:
        f.write(slow_model().SerializeToString())
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
