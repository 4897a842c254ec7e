"""A PyTorch tabular classifier with its pre-processing, as Triton's Python backend runs it.

Pre-processing (what a feature pipeline does before the network): missing values (NaN) become
0 and every feature is clipped to [-10, 10]. The requests of a batch are concatenated into one
tensor, run through the network once (on the GPU when the instance is KIND_GPU) and split back
into one response per request.
"""
import os

import numpy as np
import torch
import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    def initialize(self, args):
        gpu = args["model_instance_kind"] == "GPU" and torch.cuda.is_available()
        self.device = torch.device(f"cuda:{args['model_instance_device_id']}" if gpu else "cpu")
        if not gpu:
            # One worker per instance: let each use one core; instances add parallelism.
            torch.set_num_threads(int(os.environ.get("INFERA_TORCH_THREADS", "1")))
        folder = os.path.join(args["model_repository"], args["model_version"])
        weights = np.load(os.path.join(folder, "weights.npz"))
        self.net = torch.nn.Sequential(
            torch.nn.Linear(64, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 2), torch.nn.Softmax(dim=1))
        with torch.no_grad():
            for index in (0, 2, 4):
                self.net[index].weight.copy_(torch.from_numpy(weights[f"{index}_weight"]))
                self.net[index].bias.copy_(torch.from_numpy(weights[f"{index}_bias"]))
        self.net.eval().to(self.device)

    @staticmethod
    def preprocess(features):
        features = np.nan_to_num(features, nan=0.0, posinf=10.0, neginf=-10.0)
        return np.clip(features, -10.0, 10.0)

    def execute(self, requests):
        arrays = [pb_utils.get_input_tensor_by_name(r, "features").as_numpy() for r in requests]
        rows = [a.shape[0] for a in arrays]
        batch = torch.from_numpy(self.preprocess(np.concatenate(arrays))).to(self.device)
        with torch.no_grad():
            probabilities = self.net(batch).cpu().numpy()
        responses = []
        start = 0
        for count in rows:
            responses.append(pb_utils.InferenceResponse(
                [pb_utils.Tensor("probabilities", probabilities[start:start + count])]))
            start += count
        return responses
