#!/usr/bin/env python3
"""Reference results of SciPy's L-BFGS-B for the Blindspot solver tests.

Builds a fixed-seed set of bound-constrained problems, solves each with
scipy.optimize.minimize(method="L-BFGS-B") at SciPy's defaults (m=10, factr=1e7,
pgtol=1e-5, maxls=20), and writes the problem data together with SciPy's x*, f*,
nfev, nit and active set to engine/src/test/resources/lbfgsb/reference.json.
The Java tests rebuild every problem from the stored data, not from a generator.

Problem kinds (f and its gradient are reimplemented in the Java test):
  quadratic  f = 0.5 x'(diag(d) + U U')x - b'x
  rosenbrock f = sum_i 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2   (chained)
  clipped    f = 0.5 sum_i w_i (x_i - c_i)^2, optimum clip(c, l, u)
  logistic   f = sum_j log(1 + exp(-y_j a_j'x)) + 0.5 lam x'x

Active set per variable: -1 at its lower bound, +1 at its upper bound, 0 otherwise.
Usage: python3 src/scripts/lbfgsb_reference.py [output.json]
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy.optimize import minimize


def quadratic(p):
    d, u, b = np.array(p["d"]), np.array(p["u"]).reshape(p["n"], p["rank"]), np.array(p["b"])

    def fg(x):
        ux = u.T @ x
        return 0.5 * x @ (d * x) + 0.5 * ux @ ux - b @ x, d * x + u @ ux - b
    return fg


def rosenbrock(p):
    def fg(x):
        a, c = x[:-1], x[1:]
        t = c - a * a
        f = np.sum(100.0 * t * t + (1.0 - a) ** 2)
        g = np.zeros_like(x)
        g[:-1] += -400.0 * t * a - 2.0 * (1.0 - a)
        g[1:] += 200.0 * t
        return f, g
    return fg


def clipped(p):
    w, c = np.array(p["w"]), np.array(p["c"])

    def fg(x):
        r = x - c
        return 0.5 * np.sum(w * r * r), w * r
    return fg


def logistic(p):
    a = np.array(p["a"]).reshape(p["samples"], p["n"])
    y, lam = np.array(p["y"]), p["lam"]

    def fg(x):
        z = y * (a @ x)
        f = np.sum(np.logaddexp(0.0, -z)) + 0.5 * lam * x @ x
        s = 0.5 * (1.0 - np.tanh(0.5 * z))  # sigmoid(-z)
        return f, -a.T @ (y * s) + lam * x
    return fg


KINDS = {"quadratic": quadratic, "rosenbrock": rosenbrock, "clipped": clipped, "logistic": logistic}


def bounds_list(v):
    return [None if math.isinf(t) else float(t) for t in v]


def make_problems():
    problems = []

    def add(name, kind, n, x0, lower, upper, **params):
        problems.append(dict(name=name, kind=kind, n=n, x0=list(map(float, x0)),
                             lower=bounds_list(lower), upper=bounds_list(upper), params=dict(n=n, **params)))

    for i, n in enumerate([2, 20, 200, 1000]):
        r = np.random.default_rng(100 + i)
        rank = 3
        add(f"quadratic_box_n{n}", "quadratic", n, r.uniform(-0.5, 0.5, n), -np.ones(n), np.ones(n),
            rank=rank, d=r.uniform(1.0, 10.0, n).tolist(), u=(0.5 * r.standard_normal(n * rank)).tolist(),
            b=(8.0 * r.standard_normal(n)).tolist())
    for i, n in enumerate([2, 10, 100, 1000]):
        lower = np.full(n, -2.0)
        upper = np.full(n, 2.0)
        upper[::3] = 0.5
        lower[1::4] = -np.inf
        x0 = np.where(np.arange(n) % 2 == 0, -1.2, 1.0)
        add(f"rosenbrock_cut_n{n}", "rosenbrock", n, np.clip(x0, lower, upper), lower, upper)
    for i, n in enumerate([5, 300]):
        r = np.random.default_rng(200 + i)
        lower = r.uniform(-1.0, 0.0, n)
        upper = lower + r.uniform(0.5, 1.5, n)
        c = r.uniform(-2.0, 2.0, n)
        near = (np.abs(c - lower) < 0.05) | (np.abs(c - upper) < 0.05)
        c[near] += 0.2
        add(f"clipped_n{n}", "clipped", n, r.uniform(lower, upper), lower, upper,
            w=r.uniform(0.5, 4.0, n).tolist(), c=c.tolist())
    for i, (n, samples) in enumerate([(20, 60), (200, 100)]):
        r = np.random.default_rng(300 + i)
        a = r.standard_normal((samples, n))
        y = np.sign(a @ r.standard_normal(n) + 0.5 * r.standard_normal(samples))
        add(f"logistic_box_n{n}", "logistic", n, np.zeros(n), np.full(n, -0.3), np.full(n, 0.3),
            samples=samples, lam=0.01, a=a.ravel().tolist(), y=y.tolist())
    for i, n in enumerate([50, 500]):
        r = np.random.default_rng(400 + i)
        rank = 2
        lower = np.full(n, -np.inf)
        upper = np.full(n, np.inf)
        third = n // 3
        lower[:third] = r.uniform(-0.5, 0.5, third)
        upper[third:2 * third] = r.uniform(-0.5, 0.5, third)
        x0 = np.clip(r.uniform(-1.0, 1.0, n), lower, upper)
        add(f"quadratic_onesided_n{n}", "quadratic", n, x0, lower, upper, rank=rank,
            d=r.uniform(1.0, 5.0, n).tolist(), u=(0.5 * r.standard_normal(n * rank)).tolist(),
            b=(3.0 * r.standard_normal(n)).tolist())
    for n in [10, 200]:
        x0 = np.where(np.arange(n) % 2 == 0, -1.2, 1.0)
        add(f"rosenbrock_free_n{n}", "rosenbrock", n, x0, np.full(n, -np.inf), np.full(n, np.inf))
    r = np.random.default_rng(500)
    n = 100
    add("quadratic_free_n100", "quadratic", n, r.uniform(-1, 1, n), np.full(n, -np.inf), np.full(n, np.inf),
        rank=4, d=r.uniform(0.1, 10.0, n).tolist(), u=(0.5 * r.standard_normal(n * 4)).tolist(),
        b=r.standard_normal(n).tolist())
    return problems


def solve(p):
    fg = KINDS[p["kind"]](p["params"])
    lower = np.array([-np.inf if t is None else t for t in p["lower"]])
    upper = np.array([np.inf if t is None else t for t in p["upper"]])
    res = minimize(fg, np.array(p["x0"]), jac=True, method="L-BFGS-B",
                   bounds=list(zip(p["lower"], p["upper"])),
                   options=dict(maxcor=10, ftol=1e7 * np.finfo(float).eps, gtol=1e-5, maxiter=15000,
                                maxfun=15000, maxls=20))
    x = res.x
    active = np.where(x <= lower, -1, np.where(x >= upper, 1, 0))
    return dict(x=x.tolist(), f=float(res.fun), nfev=int(res.nfev), nit=int(res.nit),
                active=active.tolist(), message=str(res.message))


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "engine", "src", "test", "resources", "lbfgsb", "reference.json")
    problems = make_problems()
    for p in problems:
        p["scipy"] = solve(p)
    doc = dict(generator="src/scripts/lbfgsb_reference.py", scipy=scipy.__version__, numpy=np.__version__,
               options=dict(m=10, factr=1e7, pgtol=1e-5, maxiter=15000, maxfun=15000, maxls=20),
               problems=problems)
    with open(out, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    main()
