#!/usr/bin/env python3
"""Example client of `blindspot serve` (API v1), Python standard library only.

Loads a model into a running server, submits images, follows the job's progress and saves the
adversarial images the server returns (NPY float32 [N, inputs], rows in input order).

    ./blindspot serve &                                    # listens on http://127.0.0.1:8765
    python3 examples/blindspot_client.py --model /abs/path/to/model \\
        --images images.npy --labels labels.npy --out adversarial.npy
    python3 examples/blindspot_client.py --model /abs/path/to/model \\
        --mnist /path/to/mnist --count 20 --out adversarial.npy   # test images straight from MNIST's IDX files

Images: an .npy of float32 or float64, [N, 784] (or [N, 28, 28]), pixels in [0, 1]; labels: an .npy of N
integers. Files are sent as they are (base64), so numpy is not needed; with --mnist the client writes
the NPY itself. As a library: `BlindspotClient(url, token).attack(model_path, images_npy, labels_npy)`.
"""

import argparse
import base64
import gzip
import json
import os
import struct
import sys
import time
import urllib.error
import urllib.request


class BlindspotError(Exception):
    """An error answer of the server: its HTTP status and its one-line message."""

    def __init__(self, status, message):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


class BlindspotClient:
    """A thin client of the /v1 API. Every method returns the parsed JSON answer (or bytes for NPY)."""

    def __init__(self, url="http://127.0.0.1:8765", token=None, timeout=120):
        self.url = url.rstrip("/")
        self.token = token if token is not None else os.environ.get("BLINDSPOT_TOKEN")
        self.timeout = timeout

    def _request(self, method, path, body=None, raw=False):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            try:
                message = json.loads(text)["error"]
            except (ValueError, KeyError, TypeError):
                message = text or e.reason
            raise BlindspotError(e.code, message) from None
        return payload if raw else json.loads(payload)

    def health(self):
        return self._request("GET", "/v1/health")

    def load_model(self, path, activation=None):
        body = {"path": os.path.abspath(path)}
        if activation:
            body["activation"] = activation
        return self._request("POST", "/v1/models", body)

    def models(self):
        return self._request("GET", "/v1/models")

    def model(self, path, activation=None):
        """The model loaded from `path`: the one the server already holds, else loaded now."""
        path = os.path.abspath(path)
        for model in self.models():
            if model["path"] == path:
                return model
        return self.load_model(path, activation)

    def submit(self, model_id, images_npy, labels_npy, target="next", options=None):
        """Queues a job; images_npy and labels_npy are the bytes of NPY files."""
        body = {"model": model_id,
                "images_npy_b64": base64.b64encode(images_npy).decode("ascii"),
                "labels_npy_b64": base64.b64encode(labels_npy).decode("ascii"),
                "target": target,
                "options": options or {}}
        return self._request("POST", "/v1/jobs", body)

    def job(self, job_id):
        return self._request("GET", "/v1/jobs/" + job_id)

    def records(self, job_id):
        return self._request("GET", f"/v1/jobs/{job_id}/records")

    def adversarial_npy(self, job_id):
        return self._request("GET", f"/v1/jobs/{job_id}/adversarial.npy", raw=True)

    def cancel(self, job_id):
        return self._request("DELETE", "/v1/jobs/" + job_id)

    def wait(self, job_id, progress=None, interval=0.5):
        """Polls until the job has ended; progress(status) is called on every poll. Ctrl-C cancels the job."""
        try:
            while True:
                status = self.job(job_id)
                if progress:
                    progress(status)
                if status["status"] in ("done", "failed", "cancelled"):
                    return status
                time.sleep(interval)
        except KeyboardInterrupt:
            self.cancel(job_id)
            raise


# --- NPY without numpy -------------------------------------------------------------------------

def npy_bytes(descr, shape, payload):
    """An NPY version 1.0 file: magic, header padded to a multiple of 64 bytes, then the data."""
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + payload


def npy_shape(data):
    """The shape written in an NPY file's header."""
    if data[:6] != b"\x93NUMPY":
        raise ValueError("not an NPY file")
    size, start = (struct.unpack("<H", data[8:10])[0], 10) if data[6] == 1 else (struct.unpack("<I", data[8:12])[0], 12)
    header = data[start:start + size].decode("latin1")
    inside = header[header.index("'shape':") + 8:]
    inside = inside[inside.index("(") + 1:inside.index(")")]
    return tuple(int(d) for d in inside.split(",") if d.strip())


def mnist_npy(folder, count, split="t10k"):
    """The first `count` images and labels of MNIST's IDX files as NPY bytes (float32 pixels / 255, int64 labels)."""
    def read(name):
        path = os.path.join(folder, name)
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if opener is gzip.open else path, "rb") as f:
            return f.read()
    images = read(f"{split}-images-idx3-ubyte")
    labels = read(f"{split}-labels-idx1-ubyte")
    n, rows, cols = struct.unpack(">III", images[4:16])
    count = min(count, n)
    m = rows * cols
    pixels = images[16:16 + count * m]
    floats = struct.pack(f"<{count * m}f", *(p / 255.0 for p in pixels))
    ints = struct.pack(f"<{count}q", *labels[8:8 + count])
    return npy_bytes("<f4", (count, m), floats), npy_bytes("<i8", (count,), ints)


# --- command line ------------------------------------------------------------------------------

def show(status):
    mean = status.get("mean_rms_distortion")
    line = (f"{status['id']} {status['status']:9s} {status['finished']}/{status['examples']} finished, "
            f"{status['succeeded']} succeeded, mean RMS distortion "
            f"{'-' if mean is None else f'{mean:.4f}'}, {status['seconds']:.1f} s")
    end = "\r" if sys.stderr.isatty() and status["status"] in ("queued", "running") else "\n"
    if end == "\n" and getattr(show, "last", None) == line:
        return
    show.last = line
    print(line, end=end, file=sys.stderr, flush=True)


def option(text):
    key, _, value = text.partition("=")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def main():
    parser = argparse.ArgumentParser(description="Attack images with a running 'blindspot serve'.")
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--token", help="bearer token (default: $BLINDSPOT_TOKEN)")
    parser.add_argument("--model", required=True, help="model folder (model.npz + model.json) or .npz")
    parser.add_argument("--activation", help="hidden activation of a bare .npz model")
    parser.add_argument("--images", help=".npy of images [N, inputs] in [0, 1]")
    parser.add_argument("--labels", help=".npy of N integer labels")
    parser.add_argument("--mnist", help="instead of --images/--labels: a folder of MNIST's IDX files")
    parser.add_argument("--count", type=int, default=10, help="with --mnist: how many test images (default 10)")
    parser.add_argument("--target", default="next", help="next, random, least-likely, closest or a label")
    parser.add_argument("--option", action="append", default=[], type=option, metavar="KEY=VALUE",
                        help="attack option, e.g. search_steps=10, max_iterations=100, precision=float64")
    parser.add_argument("--out", default="adversarial.npy")
    args = parser.parse_args()

    if args.mnist:
        images, labels = mnist_npy(args.mnist, args.count)
    elif args.images and args.labels:
        with open(args.images, "rb") as f:
            images = f.read()
        with open(args.labels, "rb") as f:
            labels = f.read()
    else:
        parser.error("give --images and --labels, or --mnist")

    client = BlindspotClient(args.url, args.token)
    try:
        health = client.health()
        print(f"server {args.url}: {health['status']}, backend {health['backend']}", file=sys.stderr)
        model = client.model(args.model, args.activation)
        print(f"model {model['id']}: {model['name']}, {model['inputs']} inputs, {model['classes']} classes",
              file=sys.stderr)
        job = client.submit(model["id"], images, labels, args.target, dict(args.option))
        print(f"job {job['id']}: {job['examples']} images, target {args.target}", file=sys.stderr)
        status = client.wait(job["id"], show)
        if status["status"] != "done":
            print(f"job {job['id']} {status['status']}: {status.get('error', '')}", file=sys.stderr)
            return 1
        adversarial = client.adversarial_npy(job["id"])
        with open(args.out, "wb") as f:
            f.write(adversarial)
        records = client.records(job["id"])
        summary = status["summary"]
        mean = summary["mean_rms_distortion"]
        print(f"saved {args.out}: shape {npy_shape(adversarial)}; {summary['succeeded']}/{summary['examples']} "
              f"succeeded, mean RMS distortion {'-' if mean is None else f'{mean:.4f}'}, "
              f"{summary['examples_per_second']:.1f} examples/s on the server")
        for r in records[:5]:
            print(f"  #{r['index']}: {r['true_label']} -> {r['target']} {r['status']}, RMS distortion "
                  f"{r['distortion']:.4f}, {r['evaluations']} evaluations")
        return 0
    except BlindspotError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except urllib.error.URLError as e:
        print(f"error: cannot reach {args.url}: {e.reason} (is 'blindspot serve' running?)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
