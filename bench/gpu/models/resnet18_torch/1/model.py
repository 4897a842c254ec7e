"""ResNet-18 through Infera's Python backend, on the GPU when the instance is KIND_GPU.

Input: FP32 images [3, H, W] as a client sends them; the requests of a batch are concatenated,
copied to the device from pinned memory, cast to fp16 channels-last there, run, and the FP32
logits copied back and split per request. Parameters: width (64 = ResNet-18).
"""
import json

import numpy as np
import torch
import triton_python_backend_utils as pb_utils

from resnet import prepare, resnet18


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        params = {k: v["string_value"] for k, v in config.get("parameters", {}).items()}
        gpu = args["model_instance_kind"] == "GPU"
        if gpu and not torch.cuda.is_available():
            raise RuntimeError("KIND_GPU instance but torch.cuda.is_available() is False")
        self.device = torch.device(f"cuda:{args['model_instance_device_id']}" if gpu else "cpu")
        self.half = gpu
        torch.backends.cudnn.benchmark = True
        self.net = prepare(resnet18(width=int(params.get("width", "64"))), self.device, self.half)
        self.pinned = None

    def _host(self, batch):
        if self.device.type != "cuda":
            return torch.from_numpy(batch)
        if self.pinned is None or self.pinned.shape[0] < batch.shape[0] or self.pinned.shape[1:] != batch.shape[1:]:
            self.pinned = torch.empty(batch.shape, dtype=torch.float32).pin_memory()
        host = self.pinned[: batch.shape[0]]
        host.numpy()[...] = batch
        return host

    def execute(self, requests):
        arrays = [pb_utils.get_input_tensor_by_name(r, "images").as_numpy() for r in requests]
        rows = [a.shape[0] for a in arrays]
        batch = arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
        with torch.no_grad():
            x = self._host(batch).to(self.device, non_blocking=True)
            if self.half:
                x = x.half().contiguous(memory_format=torch.channels_last)
            logits = self.net(x).float().cpu().numpy()
        responses, start = [], 0
        for count in rows:
            responses.append(pb_utils.InferenceResponse([pb_utils.Tensor("logits", logits[start:start + count])]))
            start += count
        return responses
