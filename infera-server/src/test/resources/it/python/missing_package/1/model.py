import triton_python_backend_utils as pb_utils
import infera_no_such_package


class TritonPythonModel:
    def execute(self, requests):
        return []
