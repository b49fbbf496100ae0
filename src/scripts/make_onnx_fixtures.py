"""Writes the small ONNX models and reference logits that the ONNX import tests read.

Run from the repository root with Debian's Python (it has torch and onnx; a pyenv python3 may not):

    /usr/bin/python3 src/scripts/make_onnx_fixtures.py

Outputs go to engine/src/test/resources/onnx/: for each model NAME, NAME.onnx, NAME.input.npy (a
fixed float32 batch in the model's input shape) and NAME.logits.npy (the logits torch computes for
it, before any final softmax, float32). MADE_WITH.txt records the torch, onnx and numpy versions
(made with torch 1.13.0a0, onnx 1.12.0, numpy 1.24.2).

Models (weights from a seeded torch.manual_seed, so reruns give the same files on one machine):
  relu_gemm            12-8-5, nn.Linear (Gemm, transB=1) + ReLU, opset 13
  sigmoid_opset11      12-10-7-5 sigmoid MLP, opset 11
  sigmoid_opset17      the same network, opset 17
  tanh_softmax         12-8-5 tanh MLP ending in nn.Softmax(dim=1), opset 13 (logits: before softmax)
  matmul_add           x @ W1 + b1 -> ReLU -> x @ W2 + b2 -> Tanh -> x @ W3 (MatMul + Add and MatMul
                       alone) -> LogSoftmax, opset 14
  flatten              nn.Flatten on [N, 1, 3, 4] -> Linear -> Sigmoid -> Linear, opset 12
  handmade             onnx.helper graph: Constant shape -> Reshape [N, 2, 6] to [-1, 12] -> Identity
                       -> Gemm (transB=0, alpha 0.5, beta 2) -> Relu -> Dropout -> Gemm (bias [1, 5]);
                       logits from numpy
  conv                 Conv2d on [N, 1, 4, 4] -> ReLU -> Flatten -> Linear, opset 13
  conv_pool            [N, 1, 8, 8]: Conv2d(1, 4, 3, padding 1) -> ReLU -> MaxPool2d(2) -> Conv2d(4, 3, 3)
                       -> Tanh -> Flatten -> Linear(12, 6) -> Sigmoid -> Linear(6, 5) -> Softmax, opset 13
  conv_stride          [N, 2, 8, 8]: Conv2d(2, 3, 3, stride 2, padding 1) -> ReLU -> MaxPool2d(2, stride 1)
                       -> Flatten -> Linear(27, 5), opset 11
  avgpool              Conv2d -> AvgPool2d -> Flatten -> Linear: an operator the importer refuses
"""
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

OUT = os.path.join("engine", "src", "test", "resources", "onnx")
BATCH = 4


def save(name, model, x, opset, softmax_tail=0):
    """Exports model to NAME.onnx and writes x and the logits (the output before the last
    softmax_tail modules)."""
    model.eval()
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path))
    with torch.no_grad():
        logits_model = model[:len(model) - softmax_tail] if softmax_tail else model
        logits = logits_model(x).numpy().astype(np.float32)
    np.save(os.path.join(OUT, name + ".input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(OUT, name + ".logits.npy"), logits)
    ops = [n.op_type for n in onnx.load(path).graph.node]
    print("%-16s opset %2d  %s" % (name, opset, " ".join(ops)))


class MatMulAdd(nn.Module):
    """x @ W1 + b1 -> ReLU -> x @ W2 + b2 -> Tanh -> x @ W3 -> LogSoftmax, with parameters as matrices."""

    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(12, 9) * 0.5)
        self.b1 = nn.Parameter(torch.randn(9) * 0.1)
        self.w2 = nn.Parameter(torch.randn(9, 6) * 0.5)
        self.b2 = nn.Parameter(torch.randn(6) * 0.1)
        self.w3 = nn.Parameter(torch.randn(6, 5) * 0.5)

    def logits(self, x):
        h = torch.relu(x @ self.w1 + self.b1)
        h = torch.tanh(h @ self.w2 + self.b2)
        return h @ self.w3

    def forward(self, x):
        return torch.log_softmax(self.logits(x), dim=1)


def handmade(x):
    """A graph torch does not write: Constant + Reshape, Identity, Dropout, Gemm with transB=0,
    alpha and beta; logits computed with numpy in float64."""
    rng = np.random.default_rng(3)
    w1 = (rng.standard_normal((12, 7)) * 0.5).astype(np.float32)
    c1 = (rng.standard_normal(7) * 0.1).astype(np.float32)
    w2 = (rng.standard_normal((7, 5)) * 0.5).astype(np.float32)
    c2 = (rng.standard_normal((1, 5)) * 0.1).astype(np.float32)
    nodes = [
        helper.make_node("Constant", [], ["shape"], name="shape_const",
                         value=numpy_helper.from_array(np.array([-1, 12], dtype=np.int64))),
        helper.make_node("Reshape", ["x", "shape"], ["flat"], name="reshape"),
        helper.make_node("Identity", ["flat"], ["same"], name="identity"),
        helper.make_node("Gemm", ["same", "w1", "c1"], ["z1"], name="gemm1", alpha=0.5, beta=2.0, transB=0),
        helper.make_node("Relu", ["z1"], ["h1"], name="relu1"),
        helper.make_node("Dropout", ["h1"], ["d1"], name="dropout1"),
        helper.make_node("Gemm", ["d1", "w2", "c2"], ["y"], name="gemm2"),
    ]
    graph = helper.make_graph(
        nodes, "handmade",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 5])],
        initializer=[numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(c1, "c1"),
                     numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(c2, "c2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_onnx_fixtures")
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, "handmade.onnx"))
    xs = x.reshape(-1, 12).astype(np.float64)
    h = np.maximum(0.5 * xs @ w1 + 2.0 * c1, 0)
    logits = h @ w2 + c2
    np.save(os.path.join(OUT, "handmade.input.npy"), x.astype(np.float32))
    np.save(os.path.join(OUT, "handmade.logits.npy"), logits.astype(np.float32))
    print("%-16s opset 13  %s" % ("handmade", " ".join(n.op_type for n in nodes)))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    x12 = torch.rand(BATCH, 12)

    save("relu_gemm", nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 5)), x12, 13)
    sigmoid = nn.Sequential(nn.Linear(12, 10), nn.Sigmoid(), nn.Linear(10, 7), nn.Sigmoid(), nn.Linear(7, 5))
    save("sigmoid_opset11", sigmoid, x12, 11)
    save("sigmoid_opset17", sigmoid, x12, 17)
    save("tanh_softmax", nn.Sequential(nn.Linear(12, 8), nn.Tanh(), nn.Linear(8, 5), nn.Softmax(dim=1)), x12, 13,
         softmax_tail=1)

    mm = MatMulAdd()
    path = os.path.join(OUT, "matmul_add.onnx")
    torch.onnx.export(mm, x12, path, opset_version=14, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path))
    with torch.no_grad():
        np.save(os.path.join(OUT, "matmul_add.input.npy"), x12.numpy())
        np.save(os.path.join(OUT, "matmul_add.logits.npy"), mm.logits(x12).numpy())
    print("%-16s opset 14  %s" % ("matmul_add", " ".join(n.op_type for n in onnx.load(path).graph.node)))

    x4d = torch.rand(BATCH, 1, 3, 4)
    save("flatten", nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.Sigmoid(), nn.Linear(6, 5)), x4d, 12)

    handmade(np.random.default_rng(4).random((BATCH, 2, 6)).astype(np.float32))

    x_img = torch.rand(BATCH, 1, 4, 4)
    save("conv", nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 5)), x_img, 13)

    x8 = torch.rand(BATCH, 1, 8, 8)
    save("conv_pool", nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 3, 3),
                                    nn.Tanh(), nn.Flatten(), nn.Linear(12, 6), nn.Sigmoid(), nn.Linear(6, 5),
                                    nn.Softmax(dim=1)), x8, 13, softmax_tail=1)
    x8c2 = torch.rand(BATCH, 2, 8, 8)
    save("conv_stride", nn.Sequential(nn.Conv2d(2, 3, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(2, stride=1),
                                      nn.Flatten(), nn.Linear(27, 5)), x8c2, 11)
    save("avgpool", nn.Sequential(nn.Conv2d(1, 2, 3), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(2, 5)), x_img, 13)

    with open(os.path.join(OUT, "MADE_WITH.txt"), "w") as f:
        f.write("Made by src/scripts/make_onnx_fixtures.py with torch %s, onnx %s, numpy %s\n"
                % (torch.__version__, onnx.__version__, np.__version__))


if __name__ == "__main__":
    main()
