"""Which weight-decay convention reproduces the paper's FC10 rows (Table 1)?

Trains the softmax-on-pixels model to the optimum of mean cross-entropy + alpha * sum(W^2)
(+ alpha * sum(b^2) with --bias-decay) by full-batch L-BFGS in float64 (PyTorch), and prints
train and test error. alpha = lambda / 2 for the engine's convention. Run by hand:

    /usr/bin/python3 src/scripts/fc10_weight_decay.py --alpha 0.5 [--bias-decay] [--data DIR]

Measured here (Debian python3-torch 1.13, one thread, 500 L-BFGS iterations at most):
alpha 0.5: 23.08% / 21.64%; alpha 0.5 with biases: 21.25% / 19.96% (paper FC10(1): 21.2% / 20%);
alpha 0.005 with biases: 9.85% / 9.18% (paper FC10(1e-2): 10% / 9.4%).
"""
import argparse
import gzip

import numpy as np
import torch


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alpha", type=float, required=True)
    parser.add_argument("--bias-decay", action="store_true")
    parser.add_argument("--data", default="../shared/data/mnist")
    args = parser.parse_args()
    torch.set_num_threads(1)
    d = args.data + "/"
    x_train = torch.tensor(idx(d + "train-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0)
    y_train = torch.tensor(idx(d + "train-labels-idx1-ubyte.gz").astype(np.int64))
    x_test = torch.tensor(idx(d + "t10k-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0)
    y_test = torch.tensor(idx(d + "t10k-labels-idx1-ubyte.gz").astype(np.int64))
    w = torch.zeros(784, 10, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(10, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS([w, b], max_iter=500, tolerance_grad=1e-9, tolerance_change=1e-12,
                                  history_size=10, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(x_train @ w + b, y_train) + args.alpha * (w * w).sum()
        if args.bias_decay:
            loss = loss + args.alpha * (b * b).sum()
        loss.backward()
        return loss

    optimiser.step(closure)
    with torch.no_grad():
        train = ((x_train @ w + b).argmax(1) != y_train).double().mean().item()
        test = ((x_test @ w + b).argmax(1) != y_test).double().mean().item()
    print(f"alpha {args.alpha} bias decay {args.bias_decay}: train error {100 * train:.2f}%, "
          f"test error {100 * test:.2f}%")


if __name__ == "__main__":
    main()
