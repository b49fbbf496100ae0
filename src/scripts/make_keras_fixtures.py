"""Writes the Keras HDF5 fixtures that engine/src/test/java/org/blindspot/engine/model/KerasImportTest reads.

Run from the repository root with Debian's Python (it has h5py):
    /usr/bin/python3 src/scripts/make_keras_fixtures.py
Outputs go to engine/src/test/resources/keras/, with the h5py and NumPy versions in MADE_WITH.txt.

Keras and TensorFlow are not needed (nor installable on the build machines): the files are written by
hand in the layout Keras 2.x's legacy HDF5 format (model.save("m.h5")) uses, which DL4J's Keras
import reads:

  /                      attrs keras_version, backend, model_config (JSON, bytes), training_config
  /model_weights         attrs layer_names, backend, keras_version
  /model_weights/<layer> attr weight_names, e.g. [b"dense/kernel:0", b"dense/bias:0"] (empty for
                         layers without weights); datasets at <layer>/<weight name>, so
                         /model_weights/dense/dense/kernel:0 ([in, out]) and .../bias:0 ([out])

For every model, NAME_x.npy holds an input batch (float32) and NAME_logits.npy the pre-softmax outputs
computed here in float64 from the float32 weights. For convolutional models the batch is [N, H * W * C]:
each image [H, W, C] (channels last) flattened in row-major order, the engine's flat input; convolutions
are Keras' (cross-correlation, 'valid' padding, kernel [kh, kw, Cin, Cout]).
"""
import json
import os

import h5py
import numpy as np

OUT = os.path.join("engine", "src", "test", "resources", "keras")
KERAS_VERSION = "2.11.0"
BACKEND = "tensorflow"


def dense_config(name, units, activation):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
        "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}


def input_config(name, shape):
    return {"class_name": "InputLayer", "config": {
        "batch_input_shape": [None] + list(shape), "dtype": "float32", "sparse": False, "ragged": False,
        "name": name}}


def dropout_config(name, rate):
    return {"class_name": "Dropout", "config": {
        "name": name, "trainable": True, "dtype": "float32", "rate": rate, "noise_shape": None, "seed": None}}


def activation_config(name, activation):
    return {"class_name": "Activation", "config": {
        "name": name, "trainable": True, "dtype": "float32", "activation": activation}}


def flatten_config(name):
    return {"class_name": "Flatten", "config": {
        "name": name, "trainable": True, "dtype": "float32", "data_format": "channels_last"}}


def conv2d_config(name, filters, kernel, activation):
    return {"class_name": "Conv2D", "config": {
        "name": name, "trainable": True, "dtype": "float32", "filters": filters,
        "kernel_size": list(kernel), "strides": [1, 1], "padding": "valid", "data_format": "channels_last",
        "dilation_rate": [1, 1], "groups": 1, "activation": activation, "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
        "kernel_constraint": None, "bias_constraint": None}}


def max_pooling_config(name):
    return {"class_name": "MaxPooling2D", "config": {
        "name": name, "trainable": True, "dtype": "float32", "pool_size": [2, 2], "padding": "valid",
        "strides": [2, 2], "data_format": "channels_last"}}


TRAINING_CONFIG = {
    "loss": "categorical_crossentropy", "metrics": [["accuracy"]], "weighted_metrics": None,
    "loss_weights": None,
    "optimizer_config": {"class_name": "SGD", "config": {
        "name": "SGD", "learning_rate": 0.01, "decay": 0.0, "momentum": 0.0, "nesterov": False}}}


def write_model(path, model_config, weights, training_config=None):
    """weights: list of (layer name, {weight name: array}) for every layer Keras lists, in order."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = KERAS_VERSION
        f.attrs["backend"] = BACKEND
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        if training_config is not None:
            f.attrs["training_config"] = json.dumps(training_config).encode("utf8")
        root = f.create_group("model_weights")
        root.attrs["layer_names"] = np.array([name.encode("utf8") for name, _ in weights])
        root.attrs["backend"] = BACKEND
        root.attrs["keras_version"] = KERAS_VERSION
        for name, arrays in weights:
            group = root.create_group(name)
            group.attrs["weight_names"] = np.array([w.encode("utf8") for w in arrays])
            for weight_name, value in arrays.items():
                group.create_dataset(weight_name, data=value.astype(np.float32))


def dense_weights(rng, name, n_in, n_out):
    kernel = (rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(np.float32)
    bias = (0.1 * rng.standard_normal(n_out)).astype(np.float32)
    return name, {name + "/kernel:0": kernel, name + "/bias:0": bias}


def forward(x, layers):
    """layers: (kernel, bias, activation) in float32; returns float64 pre-softmax outputs."""
    h = x.astype(np.float64)
    for kernel, bias, activation in layers:
        z = h @ kernel.astype(np.float64) + bias.astype(np.float64)
        h = {"relu": lambda v: np.maximum(v, 0), "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
             "linear": lambda v: v}[activation](z)
    return h


def kernel_and_bias(entry):
    name, arrays = entry
    return arrays[name + "/kernel:0"], arrays[name + "/bias:0"]


def sequential(rng):
    """12 -> Flatten -> Dense 8 relu -> Dropout -> Dense 6 linear + Activation tanh -> Dense 5 sigmoid
    -> Dense 3 softmax, compiled (training_config with categorical cross-entropy)."""
    layers = [input_config("input_1", [12]), flatten_config("flatten"), dense_config("dense", 8, "relu"),
              dropout_config("dropout", 0.5), dense_config("dense_1", 6, "linear"),
              activation_config("activation", "tanh"), dense_config("dense_2", 5, "sigmoid"),
              dense_config("dense_3", 3, "softmax")]
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    d0, d1, d2, d3 = (dense_weights(rng, "dense", 12, 8), dense_weights(rng, "dense_1", 8, 6),
                      dense_weights(rng, "dense_2", 6, 5), dense_weights(rng, "dense_3", 5, 3))
    weights = [("flatten", {}), d0, ("dropout", {}), d1, ("activation", {}), d2, d3]
    write_model(os.path.join(OUT, "sequential_dense.h5"), config, weights, TRAINING_CONFIG)
    x = rng.standard_normal((5, 12)).astype(np.float32)
    logits = forward(x, [(*kernel_and_bias(d0), "relu"), (*kernel_and_bias(d1), "tanh"),
                         (*kernel_and_bias(d2), "sigmoid"), (*kernel_and_bias(d3), "linear")])
    return "sequential_dense", x, logits


def functional(rng, class_name, file_name):
    """Functional API: input 10 -> Dense 7 tanh -> Dropout -> Dense 4 softmax, not compiled."""
    def node(layer, inbound):
        layer = dict(layer)
        layer["name"] = layer["config"]["name"]
        layer["inbound_nodes"] = [] if inbound is None else [[[inbound, 0, 0, {}]]]
        return layer

    layers = [node(input_config("input_1", [10]), None), node(dense_config("dense", 7, "tanh"), "input_1"),
              node(dropout_config("dropout", 0.2), "dense"), node(dense_config("dense_1", 4, "softmax"), "dropout")]
    config = {"class_name": class_name, "config": {
        "name": "model", "layers": layers, "input_layers": [["input_1", 0, 0]],
        "output_layers": [["dense_1", 0, 0]]}}
    d0, d1 = dense_weights(rng, "dense", 10, 7), dense_weights(rng, "dense_1", 7, 4)
    write_model(os.path.join(OUT, file_name + ".h5"), config, [("input_1", {}), d0, ("dropout", {}), d1])
    x = rng.standard_normal((5, 10)).astype(np.float32)
    logits = forward(x, [(*kernel_and_bias(d0), "tanh"), (*kernel_and_bias(d1), "linear")])
    return file_name, x, logits


def flatten(rng, shape, file_name):
    """Input of shape `shape` -> Flatten -> Dense 5 relu -> Dense 3 softmax. The engine's input is the
    row-major flattening of the Keras input (what Flatten does with channels_last)."""
    n = int(np.prod(shape))
    layers = [input_config("input_1", shape), flatten_config("flatten"), dense_config("dense", 5, "relu"),
              dense_config("dense_1", 3, "softmax")]
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    d0, d1 = dense_weights(rng, "dense", n, 5), dense_weights(rng, "dense_1", 5, 3)
    write_model(os.path.join(OUT, file_name + ".h5"), config, [("flatten", {}), d0, d1])
    x = rng.standard_normal((5, n)).astype(np.float32)
    logits = forward(x, [(*kernel_and_bias(d0), "relu"), (*kernel_and_bias(d1), "linear")])
    return file_name, x, logits


def conv2d_valid(x, kernel, bias):
    """Keras' Conv2D with channels_last, 'valid' padding, stride 1: a cross-correlation.
    x [N, H, W, Cin], kernel [kh, kw, Cin, Cout], bias [Cout] -> [N, H - kh + 1, W - kw + 1, Cout] (float64)."""
    kh, kw = kernel.shape[:2]
    n, h, w, _ = x.shape
    out = np.zeros((n, h - kh + 1, w - kw + 1, kernel.shape[3]))
    for a in range(kh):
        for b in range(kw):
            out += np.einsum("nhwc,co->nhwo", x[:, a:a + h - kh + 1, b:b + w - kw + 1, :].astype(np.float64),
                             kernel[a, b].astype(np.float64))
    return out + bias.astype(np.float64)


def max_pool_2x2(x):
    """MaxPooling2D((2, 2)) with channels_last and 'valid' padding: [N, H, W, C] -> [N, H // 2, W // 2, C]."""
    n, h, w, c = x.shape
    x = x[:, :h // 2 * 2, :w // 2 * 2, :]
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def conv_weights(rng, name, kernel, n_in, n_out):
    k = (rng.standard_normal((kernel[0], kernel[1], n_in, n_out)) / np.sqrt(kernel[0] * kernel[1] * n_in))
    return name, {name + "/kernel:0": k.astype(np.float32),
                  name + "/bias:0": (0.1 * rng.standard_normal(n_out)).astype(np.float32)}


def convolutional(rng):
    """6x6x1 -> Conv2D 2 3x3 relu -> MaxPooling2D -> Flatten -> Dense 3 softmax."""
    layers = [input_config("input_1", [6, 6, 1]), conv2d_config("conv2d", 2, (3, 3), "relu"),
              max_pooling_config("max_pooling2d"), flatten_config("flatten"), dense_config("dense", 3, "softmax")]
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    conv = ("conv2d", {"conv2d/kernel:0": rng.standard_normal((3, 3, 1, 2)).astype(np.float32),
                       "conv2d/bias:0": np.zeros(2, np.float32)})
    dense = dense_weights(rng, "dense", 8, 3)
    weights = [conv, ("max_pooling2d", {}), ("flatten", {}), dense]
    write_model(os.path.join(OUT, "conv2d.h5"), config, weights)
    x = rng.random((5, 6, 6, 1)).astype(np.float32)
    h = max_pool_2x2(np.maximum(conv2d_valid(x, *kernel_and_bias(conv)), 0))
    logits = forward(h.reshape(len(x), -1), [(*kernel_and_bias(dense), "linear")])
    return "conv2d", x.reshape(len(x), -1), logits


def conv_mnistlike(rng):
    """8x8x1 -> Conv2D 3 3x3 relu -> MaxPooling2D -> Dropout -> Flatten -> Dense 5 tanh -> Dense 4 softmax,
    compiled (training_config with categorical cross-entropy)."""
    layers = [input_config("input_1", [8, 8, 1]), conv2d_config("conv2d", 3, (3, 3), "relu"),
              max_pooling_config("max_pooling2d"), dropout_config("dropout", 0.25), flatten_config("flatten"),
              dense_config("dense", 5, "tanh"), dense_config("dense_1", 4, "softmax")]
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    conv = conv_weights(rng, "conv2d", (3, 3), 1, 3)
    d0, d1 = dense_weights(rng, "dense", 27, 5), dense_weights(rng, "dense_1", 5, 4)
    weights = [conv, ("max_pooling2d", {}), ("dropout", {}), ("flatten", {}), d0, d1]
    write_model(os.path.join(OUT, "conv_mnistlike.h5"), config, weights, TRAINING_CONFIG)
    x = rng.random((5, 8, 8, 1)).astype(np.float32)
    h = max_pool_2x2(np.maximum(conv2d_valid(x, *kernel_and_bias(conv)), 0))
    logits = forward(h.reshape(len(x), -1), [(*kernel_and_bias(d0), "tanh"), (*kernel_and_bias(d1), "linear")])
    return "conv_mnistlike", x.reshape(len(x), -1), logits


def conv_channels(rng):
    """Functional, 7x6x2 (two input channels, not square) -> Conv2D 3 2x3 tanh -> Conv2D 2 3x2 linear
    -> Activation relu -> Flatten -> Dense 3 softmax: checks that the engine's flat input and Flatten follow
    Keras' (H, W, C) row-major order."""
    def node(layer, inbound):
        layer = dict(layer)
        layer["name"] = layer["config"]["name"]
        layer["inbound_nodes"] = [] if inbound is None else [[[inbound, 0, 0, {}]]]
        return layer

    layers = [node(input_config("input_1", [7, 6, 2]), None),
              node(conv2d_config("conv2d", 3, (2, 3), "tanh"), "input_1"),
              node(conv2d_config("conv2d_1", 2, (3, 2), "linear"), "conv2d"),
              node(activation_config("activation", "relu"), "conv2d_1"),
              node(flatten_config("flatten"), "activation"), node(dense_config("dense", 3, "softmax"), "flatten")]
    config = {"class_name": "Functional", "config": {
        "name": "model", "layers": layers, "input_layers": [["input_1", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    c0, c1 = conv_weights(rng, "conv2d", (2, 3), 2, 3), conv_weights(rng, "conv2d_1", (3, 2), 3, 2)
    dense = dense_weights(rng, "dense", 4 * 3 * 2, 3)
    write_model(os.path.join(OUT, "conv_channels.h5"), config,
                [("input_1", {}), c0, c1, ("activation", {}), ("flatten", {}), dense])
    x = rng.standard_normal((5, 7, 6, 2)).astype(np.float32)
    h = np.maximum(conv2d_valid(np.tanh(conv2d_valid(x, *kernel_and_bias(c0))), *kernel_and_bias(c1)), 0)
    logits = forward(h.reshape(len(x), -1), [(*kernel_and_bias(dense), "linear")])
    return "conv_channels", x.reshape(len(x), -1), logits


def merge(rng):
    """Functional, 6 -> (Dense 4 tanh, Dense 4 relu) -> Add -> Dense 3 softmax: a merge, which the engine
    refuses."""
    def node(layer, inbound):
        layer = dict(layer)
        layer["name"] = layer["config"]["name"]
        inbound = [] if inbound is None else inbound
        layer["inbound_nodes"] = [] if not inbound else [[[name, 0, 0, {}] for name in inbound]]
        return layer

    add = {"class_name": "Add", "config": {"name": "add", "trainable": True, "dtype": "float32"}}
    layers = [node(input_config("input_1", [6]), None), node(dense_config("dense", 4, "tanh"), ["input_1"]),
              node(dense_config("dense_1", 4, "relu"), ["input_1"]), node(add, ["dense", "dense_1"]),
              node(dense_config("dense_2", 3, "softmax"), ["add"])]
    config = {"class_name": "Functional", "config": {
        "name": "model", "layers": layers, "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_2", 0, 0]]}}
    write_model(os.path.join(OUT, "merge.h5"), config,
                [("input_1", {}), dense_weights(rng, "dense", 6, 4), dense_weights(rng, "dense_1", 6, 4),
                 ("add", {}), dense_weights(rng, "dense_2", 4, 3)])


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20140221)
    for name, x, logits in [sequential(rng), functional(rng, "Functional", "functional_dense"),
                            functional(rng, "Model", "model_dense"), flatten(rng, [4, 3], "flatten_2d"),
                            flatten(rng, [3, 3, 2], "flatten_3d"), convolutional(rng), conv_mnistlike(rng),
                            conv_channels(rng)]:
        np.save(os.path.join(OUT, name + "_x.npy"), x, allow_pickle=False)
        np.save(os.path.join(OUT, name + "_logits.npy"), logits, allow_pickle=False)
    merge(rng)
    with open(os.path.join(OUT, "MADE_WITH.txt"), "w") as f:
        f.write("h5py %s, numpy %s, Keras %s layout (written by hand)\n"
                % (h5py.__version__, np.__version__, KERAS_VERSION))


if __name__ == "__main__":
    main()
