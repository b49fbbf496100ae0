"""Trains a 784-100-100-10 sigmoid MLP (or, with --cnn, a small CNN) on MNIST with PyTorch and exports it to ONNX.

The results, examples/models/mnist-fc100-sigmoid.onnx and examples/models/mnist-cnn.onnx, are the demo
models for Blindspot's ONNX import:

    ./blindspot eval --model examples/models/mnist-fc100-sigmoid.onnx
    ./blindspot eval --model examples/models/mnist-cnn.onnx

Run from the repository root with Debian's Python (it has torch; a pyenv python3 may not):

    /usr/bin/python3 src/scripts/train_torch_mnist.py [--epochs 5] [--data ../shared/data/mnist]
    /usr/bin/python3 src/scripts/train_torch_mnist.py --cnn --epochs 2

Made with torch 1.13 (Debian python3-torch) and numpy; the exporter needs no onnx package.
Pixels are scaled to [0, 1] (divided by 255), as Blindspot's MNIST loader does. Training: softmax
cross-entropy, Adam (lr 1e-3), batch 128, seed 0, one CPU thread (about a minute for 5 epochs).
The network ends at the logits (no softmax layer), as nn.CrossEntropyLoss expects.
"""
import argparse
import gzip
import os
import time

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def read_idx(path):
    """An IDX file (gzip) as a numpy array: images [N, 28, 28] or labels [N], uint8."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic == 2051:
        n, rows, cols = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows, cols)
    if magic == 2049:
        n = int.from_bytes(data[4:8], "big")
        return np.frombuffer(data, dtype=np.uint8, offset=8)[:n]
    raise ValueError("%s: not an IDX image or label file (magic %d)" % (path, magic))


def load(data, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data, prefix + "-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data, prefix + "-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def error_rate(model, x, y):
    with torch.no_grad():
        wrong = sum((model(x[i:i + 5000]).argmax(dim=1) != y[i:i + 5000]).sum().item() for i in range(0, len(x), 5000))
        return wrong / len(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data", "mnist"))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--cnn", action="store_true",
                        help="train a small CNN (conv 5x5 16 ch, ReLU, max-pool 2, conv 5x5 32 ch, ReLU, max-pool 2,"
                             " Linear 512-10) on [N, 1, 28, 28] images instead of the MLP")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if args.out is None:
        name = "mnist-cnn.onnx" if args.cnn else "mnist-fc100-sigmoid.onnx"
        args.out = os.path.join(REPO, "examples", "models", name)

    torch.set_num_threads(1)
    torch.manual_seed(0)
    x_train, y_train = load(args.data, "train")
    x_test, y_test = load(args.data, "test")

    if args.cnn:
        x_train = x_train.reshape(-1, 1, 28, 28)
        x_test = x_test.reshape(-1, 1, 28, 28)
        model = nn.Sequential(nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(512, 10))
    else:
        model = nn.Sequential(nn.Linear(784, 100), nn.Sigmoid(),
                              nn.Linear(100, 100), nn.Sigmoid(),
                              nn.Linear(100, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for epoch in range(args.epochs):
        order = torch.randperm(len(x_train))
        for i in range(0, len(order), 128):
            batch = order[i:i + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        print("epoch %d: loss %.4f, test error %.2f%% (%.0f s)"
              % (epoch + 1, loss.item(), 100 * error_rate(model, x_test, y_test), time.time() - start))

    model.eval()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    example = torch.zeros(1, 1, 28, 28) if args.cnn else torch.zeros(1, 784)
    torch.onnx.export(model, example, args.out, opset_version=13,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    print("train error %.2f%%, test error %.2f%%; wrote %s (%d bytes), torch %s"
          % (100 * error_rate(model, x_train, y_train), 100 * error_rate(model, x_test, y_test),
             os.path.relpath(args.out), os.path.getsize(args.out), torch.__version__))


if __name__ == "__main__":
    main()
