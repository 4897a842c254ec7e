"""INPUT0 < 0: a TritonError with INVALID_ARG; == 0: raises; > 0: echoes."""
import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    def execute(self, requests):
        responses = []
        for request in requests:
            x = pb_utils.get_input_tensor_by_name(request, "INPUT0").as_numpy()
            if (x < 0).any():
                responses.append(pb_utils.InferenceResponse(error=pb_utils.TritonError(
                    "negative values are not accepted", pb_utils.TritonError.INVALID_ARG)))
            elif (x == 0).any():
                raise ValueError("zero is not a valid reading")
            else:
                responses.append(pb_utils.InferenceResponse([pb_utils.Tensor("OUTPUT0", x)]))
        return responses
