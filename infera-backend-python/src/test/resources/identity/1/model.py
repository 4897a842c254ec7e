"""Returns its input as OUTPUT0 and, for BYTES, the elements reversed as OUTPUT1 (tests)."""
import numpy as np
import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    def initialize(self, args):
        self.args = args

    def execute(self, requests):
        responses = []
        for request in requests:
            x = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            responses.append(pb_utils.InferenceResponse([
                pb_utils.Tensor("OUTPUT0", np.array(x)),
                pb_utils.Tensor("ARGS", np.array([[self.args[k].encode() for k in (
                    "model_instance_kind", "model_instance_name", "model_version", "model_name")]]
                    * x.shape[0], dtype=np.object_)),
            ]))
        return responses
