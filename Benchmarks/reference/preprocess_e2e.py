"""The Python process `datacomp preprocess` is compared with: open every image with Pillow, apply
OpenCLIP's evaluation transform, stack the tensors and np.save the [N, 3, 224, 224] float32 array.

Usage: python preprocess_e2e.py OUTPUT.npy IMAGE...
Prints one JSON line: seconds from process start (imports included) and seconds of the work alone
(after the imports), both measured inside the process.
"""
import time
started = time.perf_counter()
import os
os.environ.setdefault("OMP_NUM_THREADS", "1")
import sys
import numpy as np
import torch
torch.set_num_threads(1)
from PIL import Image
import open_clip
imported = time.perf_counter()

preprocess = open_clip.image_transform(224, is_train=False)
output, paths = sys.argv[1], sys.argv[2:]
tensors = [preprocess(Image.open(path)) for path in paths]
np.save(output, torch.stack(tensors).numpy())
done = time.perf_counter()
import json
print(json.dumps({"work_seconds": done - imported, "import_seconds": imported - started}))
