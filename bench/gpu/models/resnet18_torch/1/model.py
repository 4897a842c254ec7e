"""ResNet-18 through Infera's Python backend, on the GPU when the instance is KIND_GPU.

Input: FP32 images [3, H, W] as a client sends them; the requests of a batch are concatenated,
copied to the device from pinned memory, cast to fp16 channels-last there, run, and the FP32
logits copied back and split per request. Parameters: width (64 = ResNet-18).

On the GPU a batch is padded up to one of a few sizes (powers of two and the points half-way,
up to max_batch_size), each run once while the instance loads: cuDNN's autotuner
(cudnn.benchmark) times its algorithms on every new input shape, tens to hundreds of
milliseconds each, and dynamic batches of every size from 1 to 256 would keep it doing that
under load.
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
        self.buckets = None
        if gpu:
            max_batch = max(1, int(config.get("max_batch_size", 1)))
            dims = [int(d) for d in config["input"][0]["dims"]]
            self.buckets = batch_sizes(max_batch)
            self.pinned = torch.zeros([max_batch] + dims, dtype=torch.float32).pin_memory()
            with torch.no_grad():
                for size in self.buckets:
                    self._run(self.pinned[:size])
            torch.cuda.synchronize(self.device)

    def _run(self, host):
        x = host.to(self.device, non_blocking=True)
        if self.half:
            x = x.half().contiguous(memory_format=torch.channels_last)
        return self.net(x).float().cpu().numpy()

    def _logits(self, arrays):
        if self.buckets is None:
            return self._run(torch.from_numpy(arrays[0] if len(arrays) == 1 else np.concatenate(arrays)))
        rows = sum(a.shape[0] for a in arrays)
        size = next(b for b in self.buckets if b >= rows)
        np.concatenate(arrays, out=self.pinned.numpy()[:rows])  # straight into pinned memory
        return self._run(self.pinned[:size])[:rows]

    def execute(self, requests):
        arrays = [pb_utils.get_input_tensor_by_name(r, "images").as_numpy() for r in requests]
        rows = [a.shape[0] for a in arrays]
        with torch.no_grad():
            logits = self._logits(arrays)
        responses, start = [], 0
        for count in rows:
            responses.append(pb_utils.InferenceResponse([pb_utils.Tensor("logits", logits[start:start + count])]))
            start += count
        return responses


def batch_sizes(max_batch):
    """1, 2, 3, 4, 6, 8, 12, ... up to max_batch (always included)."""
    sizes, b = {max_batch}, 1
    while b < max_batch:
        sizes.update({b, b + b // 2})
        b *= 2
    return sorted(s for s in sizes if s <= max_batch)
