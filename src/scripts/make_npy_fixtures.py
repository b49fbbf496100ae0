"""Writes the NumPy-made NPY/NPZ fixtures that engine/src/test/java/org/blindspot/engine/io tests read.

Run from the repository root:  python3 src/scripts/make_npy_fixtures.py
Outputs go to engine/src/test/resources/npy/, with the NumPy version recorded in MADE_WITH.txt.
The values are small closed forms so that the Java tests can state them literally.
"""
import os

import numpy as np

OUT = os.path.join("engine", "src", "test", "resources", "npy")


def main():
    os.makedirs(OUT, exist_ok=True)

    def save(name, array):
        np.save(os.path.join(OUT, name), array, allow_pickle=False)

    # One file per supported dtype: values 0, 1, 2, ... (or a closed form) in C order.
    save("float32_2x3.npy", (np.arange(6, dtype="<f4") / 4).reshape(2, 3))   # 0, .25, ..., 1.25
    save("float64_3.npy", np.array([0.5, -1.25, 3.0], dtype="<f8"))
    save("int32_2x2.npy", np.array([[1, -2], [3, 2147483647]], dtype="<i4"))
    save("int64_3.npy", np.array([-1, 0, 1 << 40], dtype="<i8"))
    save("uint8_2x2.npy", np.array([[0, 1], [128, 255]], dtype="u1"))
    save("bool_4.npy", np.array([True, False, False, True]))
    save("scalar_float64.npy", np.float64(2.5))
    save("empty_float32_0x3.npy", np.zeros((0, 3), dtype="<f4"))

    # Format version 2.0 (uint32 header length).
    with open(os.path.join(OUT, "version2_float32_2x3.npy"), "wb") as f:
        np.lib.format.write_array(f, (np.arange(6, dtype="<f4") / 4).reshape(2, 3), version=(2, 0))

    # Files the reader must refuse with a clear message.
    save("fortran_float64_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f8").reshape(2, 3)))
    save("bigendian_float32_3.npy", np.array([1, 2, 3], dtype=">f4"))
    save("float16_3.npy", np.array([1, 2, 3], dtype="<f2"))
    np.save(os.path.join(OUT, "object_2.npy"), np.array([1, "a"], dtype=object), allow_pickle=True)

    # Archives: arrays deliberately not in alphabetical order, to check order is kept.
    arrays = dict(
        W1=(np.arange(6, dtype="<f4") / 4).reshape(2, 3),
        b1=np.array([0.5, -1.25, 3.0], dtype="<f4"),
        labels=np.array([7, 2, 1], dtype="<i8"),
    )
    np.savez(os.path.join(OUT, "model.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "model_compressed.npz"), **arrays)

    with open(os.path.join(OUT, "MADE_WITH.txt"), "w") as f:
        f.write("numpy %s\n" % np.__version__)


if __name__ == "__main__":
    main()
