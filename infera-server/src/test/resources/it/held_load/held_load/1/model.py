import json
import os
import time

import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    """Echoes TEXT; its load waits until the file named by the 'release_file' parameter exists."""

    def initialize(self, args):
        config = json.loads(args["model_config"])
        release = config["parameters"]["release_file"]["string_value"]
        deadline = time.monotonic() + 120
        while not os.path.exists(release):
            if time.monotonic() > deadline:
                raise RuntimeError("release file did not appear within 120 s")
            time.sleep(0.02)

    def execute(self, requests):
        return [
            pb_utils.InferenceResponse(
                [pb_utils.Tensor("OUT", pb_utils.get_input_tensor_by_name(r, "TEXT").as_numpy())]
            )
            for r in requests
        ]
