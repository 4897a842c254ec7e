#!/usr/bin/env python3
"""The PyTorch ceiling for bench/gpu: the same ResNet-18 (models/resnet18_torch/1/resnet.py),
fp16 channels-last on the device, timed with the copies a server adds (pinned FP32 host input
to the device, logits back) and without them, at several batch sizes; then sustained phases
whose wall-clock spans go to the CSV so nvidia-smi samples can be matched to them.

Usage: ceiling.py OUT.csv   Environment: SIZE (image side, default 224), WIDTH (default 64),
BATCHES (default 1,16,64,256), ITERS (default 50), SUSTAIN (seconds, default 8).
Runs on the CPU (fp32) when there is no GPU, for testing the script.
"""
import csv
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "models", "resnet18_torch", "1"))
from resnet import prepare, resnet18  # noqa: E402


def main(out_path):
    size = int(os.environ.get("SIZE", "224"))
    width = int(os.environ.get("WIDTH", "64"))
    batches = [int(b) for b in os.environ.get("BATCHES", "1,16,64,256").split(",")]
    iters = int(os.environ.get("ITERS", "50"))
    sustain = float(os.environ.get("SUSTAIN", "8"))
    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    torch.backends.cudnn.benchmark = True
    net = prepare(resnet18(width=width), device, half=cuda)
    dtype = torch.float16 if cuda else torch.float32
    fields = ["phase", "batch", "path", "iters", "ms_median", "ms_p90", "images_per_s", "t_start", "t_end"]
    rows = []

    def emit(**kw):
        rows.append({k: kw.get(k, "") for k in fields})
        print(" ".join(f"{k}={v}" for k, v in rows[-1].items() if v != ""), flush=True)
        with open(out_path, "w", newline="") as f:
            w = csv.DictWriter(f, fields)
            w.writeheader()
            w.writerows(rows)

    def sync():
        if cuda:
            torch.cuda.synchronize()

    print(f"torch {torch.__version__} device {device}"
          + (f" {torch.cuda.get_device_name(0)}" if cuda else ""), flush=True)
    with torch.no_grad():
        for b in batches:
            on_device = torch.randn(b, 3, size, size, device=device).to(dtype).contiguous(
                memory_format=torch.channels_last if cuda else torch.contiguous_format)
            host = torch.randn(b, 3, size, size)
            host = host.pin_memory() if cuda else host

            def device_only():
                net(on_device)

            def with_copies():
                x = host.to(device, non_blocking=True)
                if cuda:
                    x = x.half().contiguous(memory_format=torch.channels_last)
                net(x).float().cpu()

            for path, fn in (("on-device", device_only), ("with-copies", with_copies)):
                for _ in range(max(2, iters // 10)):
                    fn()
                sync()
                times = []
                for _ in range(iters):
                    t0 = time.perf_counter()
                    fn()
                    sync()
                    times.append((time.perf_counter() - t0) * 1e3)
                med = float(np.median(times))
                emit(phase="timed", batch=b, path=path, iters=iters, ms_median=f"{med:.3f}",
                     ms_p90=f"{np.percentile(times, 90):.3f}", images_per_s=f"{b / med * 1e3:.0f}")
        for b in [x for x in batches if x >= 16] or batches[-1:]:
            host = torch.randn(b, 3, size, size)
            host = host.pin_memory() if cuda else host
            t_start, n = time.time(), 0
            while time.time() - t_start < sustain:
                x = host.to(device, non_blocking=True)
                if cuda:
                    x = x.half().contiguous(memory_format=torch.channels_last)
                net(x).float().cpu()
                n += 1
            t_end = time.time()
            emit(phase="sustained", batch=b, path="with-copies", iters=n,
                 images_per_s=f"{n * b / (t_end - t_start):.0f}", t_start=f"{t_start:.3f}", t_end=f"{t_end:.3f}")
    if cuda:
        emit(phase="memory", path=f"max allocated {torch.cuda.max_memory_allocated() >> 20} MiB")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
