"""Element-wise sum and difference of two FP32 vectors, one response per request.

The smallest useful model.py: it shows the contract (initialize, execute over a list of
requests, finalize) and costs almost nothing itself, so serving it measures the backend's own
overhead (docs/benchmarks.md).
"""
import json

import numpy as np
import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        self.output_types = {
            name: pb_utils.triton_string_to_numpy(
                pb_utils.get_output_config_by_name(config, name)["data_type"])
            for name in ("OUTPUT0", "OUTPUT1")
        }

    def execute(self, requests):
        responses = []
        for request in requests:
            a = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            b = pb_utils.get_input_tensor_by_name(request, "INPUT1").as_numpy()
            responses.append(pb_utils.InferenceResponse(output_tensors=[
                pb_utils.Tensor("OUTPUT0", np.add(a, b).astype(self.output_types["OUTPUT0"])),
                pb_utils.Tensor("OUTPUT1", np.subtract(a, b).astype(self.output_types["OUTPUT1"])),
            ]))
        return responses

    def finalize(self):
        pass
