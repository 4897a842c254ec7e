#!/usr/bin/python3
"""Writes the rollout integration tests' models: one scoring model and variants of it that differ
in a controlled way, served as successive versions of one model.

Every model maps INPUT0 (FP32, ["batch", 4]) to OUTPUT0 (FP32, ["batch", 1]):
  score.onnx          OUTPUT0 = INPUT0 . [0.5, -0.25, 1.0, 0.125] + 0.1
  score_shifted.onnx  the same plus 3.0 (the output distribution moves)
  score_failing.onnx  the same, but fails when INPUT0[:, 3] >= 2.0 (a Gather out of bounds)
  score_slow.onnx     the same, plus 400 chained products with one 256x256 matrix of the input whose result
                      is multiplied by zero (same outputs, far more compute)

Run with Debian's python and its packages (apt-get install -y python3-onnx python3-numpy):

    /usr/bin/python3 src/test/python/make_rollout_models.py

from the module folder. Output: src/test/resources/it/rollout/*.onnx, IR version 8, opset 17.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("src", "test", "resources", "it", "rollout")
WEIGHTS = np.array([[0.5], [-0.25], [1.0], [0.125]], dtype=np.float32)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def score_nodes(out):
    return [
        helper.make_node("MatMul", ["INPUT0", "w"], ["dot"]),
        helper.make_node("Add", ["dot", "b"], [out]),
    ]


def base_initializers():
    return [const("w", WEIGHTS), const("b", np.array([0.1], dtype=np.float32))]


def save(name, nodes, initializers):
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("INPUT0", TensorProto.FLOAT, ["batch", 4])],
        [helper.make_tensor_value_info("OUTPUT0", TensorProto.FLOAT, ["batch", 1])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


def main():
    os.makedirs(OUT, exist_ok=True)
    save("score", score_nodes("OUTPUT0"), base_initializers())

    save(
        "score_shifted",
        score_nodes("base") + [helper.make_node("Add", ["base", "shift"], ["OUTPUT0"])],
        base_initializers() + [const("shift", np.array([3.0], dtype=np.float32))],
    )

    # INPUT0[:, 3] as an index into a two-element table: 0 and 1 are fine, 2 and more fail.
    failing = score_nodes("base") + [
        helper.make_node("Gather", ["INPUT0", "col3"], ["x3"], axis=1),
        helper.make_node("Cast", ["x3"], ["index"], to=TensorProto.INT64),
        helper.make_node("Gather", ["table", "index"], ["picked"], axis=0),
        helper.make_node("Mul", ["picked", "zero"], ["nothing"]),
        helper.make_node("Add", ["base", "nothing"], ["OUTPUT0"]),
    ]
    save(
        "score_failing",
        failing,
        base_initializers()
        + [
            const("col3", np.array([3], dtype=np.int64)),
            const("table", np.array([0.0, 0.0], dtype=np.float32)),
            const("zero", np.array([0.0], dtype=np.float32)),
        ],
    )

    rng = np.random.default_rng(7)
    slow = score_nodes("base") + [
        helper.make_node("Tile", ["INPUT0", "repeats"], ["wide"]),
    ]
    previous = "wide"
    for i in range(400):
        slow.append(helper.make_node("MatMul", [previous, "m"], ["h%d" % i]))
        slow.append(helper.make_node("Tanh", ["h%d" % i], ["t%d" % i]))
        previous = "t%d" % i
    slow += [
        helper.make_node("ReduceSum", [previous, "axes"], ["summed"], keepdims=1),
        helper.make_node("Mul", ["summed", "zero"], ["nothing"]),
        helper.make_node("Add", ["base", "nothing"], ["OUTPUT0"]),
    ]
    inits = base_initializers() + [
        const("repeats", np.array([1, 64], dtype=np.int64)),
        const("axes", np.array([1], dtype=np.int64)),
        const("zero", np.array([0.0], dtype=np.float32)),
    ]
    inits.append(const("m", (rng.standard_normal((256, 256)) * 0.05).astype(np.float32)))
    save("score_slow", slow, inits)


if __name__ == "__main__":
    main()
