"""Grading spec of chapter 5 (MLP and back-propagation).

Functions and classes are graded by probes that use them in the worker: the Dual/Var probes build
the notes' functions (5.25)/(5.26) and multi-input functions out of the student's classes, the
Jacobian probes count the calls of ``f`` (n for forward mode, m for reverse mode), and the MLP
probes run the student's forward and backward passes (and 10 gradient-descent steps).
"""
import numpy as np

from ..compare import close, compare
from ..spec import Case, Exercise
from ..verdicts import fail, ok

# --- functions built from Dual / Var (or floats): each maps a list of scalars to one scalar -------


def _eq_5_25(x):
    y = x.log()
    return y + y.sqrt()


def _eq_5_26(x):
    s = (x ** 2 + 1).sqrt()
    u = (x + s).log()
    return u / x ** 2 - u ** 3 / s


def _reflected(x):
    # (1 - x) * (0.5 + x), not (1 - x) * (0.5 - x): a sign error in ``__rsub__`` cancels in the latter
    return (2 * x - 1) / (1 + x ** 2) + 3 / x - (1 - x) * (0.5 + x) + 2 ** x - x ** -1.5


SCALAR_FUNCTIONS = {
    "eq_5_25": lambda v: _eq_5_25(v[0]),
    "eq_5_26": lambda v: _eq_5_26(v[0]),
    "reflected": lambda v: _reflected(v[0]),
    "mix2": lambda v: v[0] * v[1] + v[0] / v[1] - (v[0] * v[1]).log() + (v[0] ** 2 + v[1] ** 2).sqrt(),
    "mix3": lambda v: ((v[0] * v[1] * v[2]).exp() / (1 + v[0] ** 2) - v[2] * (v[1] - v[0])
                       + (v[0] + v[1] + v[2]) ** 3 / 7),
    "repeat": lambda v: v[0] * v[0] * v[0] + v[0] * v[1] - v[1] / v[0] - v[1] * v[1],
    "unused_input": lambda v: 3 * v[0] - 1,
}


def _diamonds(h, depth):
    """``h <- h + 0.5 h`` ``depth`` times: every node feeds two others, 2^depth paths."""
    for _ in range(depth):
        h = h + 0.5 * h
    return h


def _long_chain(h, depth):
    for _ in range(depth):
        h = h * 0.999 + 0.001
    return h


def probe_dual(module, inputs):
    """Value and gradient at each point; one forward pass per input variable (seed 1 on it)."""
    f = SCALAR_FUNCTIONS[inputs["function"]]
    values, grads = [], []
    for point in inputs["points"]:
        partials = []
        for j in range(len(point)):
            out = f([module.Dual(float(v), 1.0 if i == j else 0.0) for i, v in enumerate(point)])
            partials.append(float(out.deriv))
        values.append(float(out.value))
        grads.append(partials)
    return {"values": values, "grads": grads}


def probe_var(module, inputs):
    """Value and all input gradients at each point from ONE backward() per point."""
    kind = inputs["function"]
    if kind == "eq_5_25_nodes":
        return probe_var_nodes(module, inputs)
    values, grads = [], []
    for point in inputs["points"]:
        xs = [module.Var(float(v)) for v in point]
        if kind == "diamonds":
            out = _diamonds(xs[0], inputs["depth"])
        elif kind == "long_chain":
            out = _long_chain(xs[0], inputs["depth"])
        else:
            out = SCALAR_FUNCTIONS[kind](xs)
        out.backward()
        values.append(float(out.value))
        grads.append([float(x.grad) for x in xs])
    return {"values": values, "grads": grads}


def probe_var_nodes(module, inputs):
    """(5.25) node by node, as in (5.30): the adjoints of f, z, y and x after one backward()."""
    out = {}
    for i, point in enumerate(inputs["points"]):
        x = module.Var(float(point))
        y = x.log()
        z = y.sqrt()
        f = y + z
        f.backward()
        out[str(i)] = {"f": float(f.value), "df_df": float(f.grad), "df_dz": float(z.grad),
                       "df_dy": float(y.grad), "df_dx": float(x.grad)}
    return out


# --- vector functions R^n -> R^m for the Jacobian exercises ----------------------------------------


def _affine(rows, bias, h):
    return [sum(a * v for a, v in zip(row, h)) + c for row, c in zip(rows, bias)]


def vector_function(spec):
    """f: list of n scalars -> list of m scalars, from a plain description.

    ``chain``: ``h_k = A_k h_{k-1}`` for the matrices ``A_1, ..., A_l`` (J = A_l ... A_1);
    ``mlp``: ``W2 sigmoid(W1 x + b1) + b2``; ``mixed``: R^3 -> R^2 with products, exp, sqrt, log.
    """
    if spec["kind"] == "chain":
        mats = [np.asarray(A, dtype=float).tolist() for A in spec["mats"]]

        def f(h):
            for A in mats:
                h = _affine(A, [0.0] * len(A), h)
            return h
        return f
    if spec["kind"] == "mlp":
        (W1, b1), (W2, b2) = [(np.asarray(W, float).tolist(), np.asarray(b, float).tolist())
                              for W, b in spec["params"]]
        return lambda x: _affine(W2, b2, [1 / (1 + (-z).exp()) for z in _affine(W1, b1, x)])
    return lambda v: [v[0] * v[1] * v[2] + v[2].exp(), (v[0] ** 2 + v[1] ** 2 + 1).sqrt() / v[2]
                      - (v[1] * v[1] + 2).log()]


def probe_jacobian(name):
    def probe(module, inputs):
        f = vector_function(inputs["f"])
        calls, types = [], set()

        def counted(v):
            calls.append(1)
            types.update(type(a).__name__ for a in v)
            return f(list(v))
        J = getattr(module, name)(counted, [float(v) for v in inputs["x"]])
        return {"J": np.asarray(J, dtype=float), "calls": len(calls), "arg_types": sorted(types)}
    return probe


def check_jacobian(mode):
    """J against the key's; ``f`` called exactly n (forward) or m (reverse) times with Duals/Vars."""
    def check(got, expected, inputs):
        msg = compare(got["J"], expected["J"], rtol=1e-9, atol=1e-12, where="Jacobian")
        if msg:
            return fail(msg)
        if got["arg_types"] != expected["arg_types"]:
            return fail(f"f must be called with lists of {expected['arg_types'][0]} only; it was called "
                        f"with {', '.join(got['arg_types']) or 'nothing'}")
        if got["calls"] != expected["calls"]:
            count = "n (one JVP per input)" if mode == "forward" else "m (one VJP per output)"
            return fail(f"{mode} mode must evaluate f {count} = {expected['calls']} times; "
                        f"it was called {got['calls']} times")
        return ok()
    return check


# --- scalar fields for numerical_gradient -----------------------------------------------------------


def _mlp_loss(theta, spec):
    """MEAN squared error (5.22) of a tanh MLP d -> q -> 1 whose parameters are the flat theta."""
    X, Y, q = np.asarray(spec["X"]), np.asarray(spec["Y"]), spec["hidden"]
    d = X.shape[1]
    W1 = theta[:q * d].reshape(q, d)
    b1 = theta[q * d:q * d + q]
    w2, b2 = theta[q * d + q:q * d + 2 * q], theta[-1]
    return float(np.mean((np.tanh(X @ W1.T + b1) @ w2 + b2 - Y) ** 2))


def scalar_field(spec):
    kind = spec["kind"]
    if kind == "quadratic":
        A, b = np.asarray(spec["A"]), np.asarray(spec["b"])
        return lambda t: float(0.5 * t.ravel() @ A @ t.ravel() - b @ t.ravel())
    if kind == "smooth":
        w = np.asarray(spec["w"])
        return lambda t: float(np.sin(w @ t.ravel()) + np.sum(t ** 2) * np.exp(-0.1 * (w @ t.ravel()) ** 2))
    if kind == "matrix":
        v = np.asarray(spec["v"])
        return lambda T: float(np.sum(np.logaddexp(0.0, T @ v)) + 0.5 * np.sum(T ** 2))
    return lambda t: _mlp_loss(t, spec)


def probe_numerical_gradient(module, inputs):
    f = scalar_field(inputs["f"])
    theta = np.array(inputs["theta"], dtype=float)
    shapes = []

    def counted(t):
        shapes.append(list(np.shape(t)))
        return f(np.asarray(t, dtype=float))
    kwargs = {"h": inputs["h"]} if "h" in inputs else {}
    grad = module.numerical_gradient(counted, theta.copy(), **kwargs)
    return {"grad": np.asarray(grad, dtype=float), "calls": len(shapes),
            "shapes_ok": all(s == list(theta.shape) for s in shapes)}


def check_numerical_gradient(got, expected, inputs):
    """Central differences: exactly 2p evaluations, gradient within 1e-7 (rel) of the key's.

    The key's own error is about 1e-10; a forward difference is off by ``h f'' / 2`` (~1e-6)."""
    if not got["shapes_ok"]:
        return fail(f"f must be called with arrays of theta's shape {list(np.shape(inputs['theta']))}")
    msg = compare(got["grad"], expected["grad"], rtol=1e-7, atol=1e-9, where="gradient")
    if msg:
        return fail(msg)
    if got["calls"] != expected["calls"]:
        return fail(f"central differences need exactly 2p = {expected['calls']} evaluations of f; "
                    f"yours made {got['calls']}")
    return ok()


# --- MLP probes ------------------------------------------------------------------------------------


def _params(inputs):
    return [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in inputs["params"]]


def probe_mlp_forward(module, inputs):
    y, _ = module.mlp_forward(np.asarray(inputs["x"]), _params(inputs), list(inputs["activations"]))
    return np.asarray(y, dtype=float)


def _mse_grads(module, x, t, params, activations):
    y, cache = module.mlp_forward(x, params, activations)
    y = np.asarray(y, dtype=float)
    grads = module.mlp_backward(cache, 2.0 * (y - t) / len(x))
    return float(np.mean(np.sum((y - t) ** 2, axis=1))), [
        [np.asarray(dW, dtype=float), np.asarray(db, dtype=float)] for dW, db in grads]


def probe_mlp_backward(module, inputs):
    """Gradients of the MEAN squared error (5.22); with ``gd_steps``, the losses of that many GD steps."""
    x, t = np.asarray(inputs["x"], dtype=float), np.asarray(inputs["target"], dtype=float)
    params, acts = _params(inputs), list(inputs["activations"])
    loss, grads = _mse_grads(module, x, t, params, acts)
    losses = [loss]
    for _ in range(inputs.get("gd_steps", 0)):
        _, step = _mse_grads(module, x, t, params, acts)
        params = [(W - inputs["lr"] * dW, b - inputs["lr"] * db) for (W, b), (dW, db) in zip(params, step)]
        losses.append(_mse_grads(module, x, t, params, acts)[0])
    return {"grads": grads, "losses": losses}


def check_mlp_backward(got, expected, inputs):
    msg = compare(got, expected, rtol=1e-8, atol=1e-10)
    if msg:
        return fail(msg)
    if inputs.get("gd_steps") and not got["losses"][-1] < got["losses"][0]:
        return fail("gradient descent with your gradients did not lower the loss")
    return ok()


def probe_xor(module, inputs):
    """Shapes of the returned parameters and the network's outputs on the four XOR inputs."""
    (W1, b1), (W2, b2) = [(np.asarray(W, dtype=float), np.asarray(b, dtype=float))
                          for W, b in module.xor_relu_net()]
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.maximum(x @ W1.T + b1, 0.0) @ W2.T + b2
    return {"shapes": [list(a.shape) for a in (W1, b1, W2, b2)], "y": y}


_ACT = {"sigmoid": lambda z: 0.5 * (1 + np.tanh(0.5 * z)), "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0.0)}


def probe_random_features(module, inputs):
    x, y = np.asarray(inputs["x"], dtype=float), np.asarray(inputs["y"], dtype=float)
    W, b = np.asarray(inputs["W"], dtype=float), np.asarray(inputs["b"], dtype=float)
    u = np.asarray(module.random_features_fit(x, y, W, b, inputs["activation"]), dtype=float)
    if u.shape != (len(W),):
        return {"shape": list(u.shape)}
    fitted = _ACT[inputs["activation"]](x @ W.T + b) @ u
    return {"shape": list(u.shape), "mse": float(np.mean((fitted - y) ** 2)),
            "sup": float(np.max(np.abs(fitted - y)))}


def check_random_features(got, expected, inputs):
    """The least-squares value: training MSE within 1e-6 of the key's (u itself is ill-determined)."""
    if got["shape"] != expected["shape"]:
        return fail(f"u must have shape {tuple(expected['shape'])}, got {tuple(got['shape'])}")
    if not got["mse"] <= expected["mse"] + 1e-6:
        return fail(f"training MSE {got['mse']:.3g} is above the least-squares value "
                    f"{expected['mse']:.3g} (use np.linalg.lstsq: the features are ill-conditioned)")
    if "max_sup" in inputs and not got["sup"] < inputs["max_sup"]:
        return fail(f"sup error {got['sup']:.3g} on the training points, expected < {inputs['max_sup']}")
    return ok()


EXERCISES = [
    Exercise("dense_forward", points=2, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("mlp_forward", points=3, probe=probe_mlp_forward, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("mlp_backward", points=7, probe=probe_mlp_backward, check=check_mlp_backward),
    Exercise("numerical_gradient", points=2, probe=probe_numerical_gradient,
             check=check_numerical_gradient),
    Exercise("Dual", points=5, probe=probe_dual, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("Var", points=6, probe=probe_var, check=close(rtol=1e-10, atol=1e-12)),
    Exercise("jacobian_forward", points=3, probe=probe_jacobian("jacobian_forward"),
             check=check_jacobian("forward")),
    Exercise("jacobian_reverse", points=3, probe=probe_jacobian("jacobian_reverse"),
             check=check_jacobian("reverse")),
    Exercise("chain_cost", points=2, check=close(rtol=0, atol=0)),
    Exercise("collapse_linear", points=2, check=close(rtol=1e-12, atol=1e-12)),
    Exercise("xor_relu_net", points=2, probe=probe_xor, check=close(rtol=0, atol=1e-9)),
    Exercise("random_features_fit", points=3, probe=probe_random_features,
             check=check_random_features),
]


# --- case data -------------------------------------------------------------------------------------


def _rng(seed):
    return np.random.default_rng(seed)


def mlp_case(seed, dims, activations, n=6, scale=1.0):
    """Inputs ``x`` ``(n, dims[0])``, params in the notes' layout, activations and a target."""
    rng = _rng(seed)
    params = [[scale * rng.standard_normal((d_out, d_in)) / np.sqrt(d_in), 0.1 * rng.standard_normal(d_out)]
              for d_in, d_out in zip(dims, dims[1:])]
    return {"x": rng.standard_normal((n, dims[0])), "params": params, "activations": list(activations),
            "target": rng.standard_normal((n, dims[-1]))}


def dense_case(seed, d_in, d_out, activation, n=5, scale=1.0):
    rng = _rng(seed)
    return {"x": scale * rng.standard_normal((n, d_in)), "W": rng.standard_normal((d_out, d_in)),
            "b": rng.standard_normal(d_out), "activation": activation}


def collapse_case(seed, d0, d1, d2):
    """Two affine layers ``d0 -> d1 -> d2`` in the notes' layout."""
    rng = _rng(seed)
    return {"W1": rng.standard_normal((d1, d0)), "b1": rng.standard_normal(d1),
            "W2": rng.standard_normal((d2, d1)), "b2": rng.standard_normal(d2)}


def mlp_loss_field(seed, n=8, d=3, hidden=4):
    rng = _rng(seed)
    return {"kind": "mlp", "X": rng.standard_normal((n, d)), "Y": rng.standard_normal(n), "hidden": hidden}


def sine_features(seed, width, n=400, activation="sigmoid", noise=0.0):
    """sin on [-pi, pi] with ``width`` random hidden units (each its own slope and offset)."""
    rng = _rng(seed)
    x = np.linspace(-np.pi, np.pi, n)[:, None]
    return {"x": x, "y": np.sin(x[:, 0]) + noise * rng.standard_normal(n),
            "W": rng.normal(0.0, 3.0, (width, 1)), "b": rng.uniform(-3 * np.pi, 3 * np.pi, width),
            "activation": activation}


PUBLIC_CASES = {
    "dense_forward": [Case("relu", dense_case(1, 3, 2, "relu"))],
    "mlp_forward": [Case("two_layers", mlp_case(2, [3, 4, 2], ["tanh", "linear"]))],
    "mlp_backward": [Case("two_layers", mlp_case(3, [3, 4, 2], ["tanh", "linear"]))],
    "numerical_gradient": [Case("quadratic", {
        "f": {"kind": "quadratic", "A": np.array([[2.0, 0.5], [0.5, 1.0]]), "b": np.array([1.0, -1.0])},
        "theta": np.array([0.3, -0.7])})],
    "Dual": [Case("eq_5_25", {"function": "eq_5_25", "points": [[2.0]]})],
    "Var": [Case("eq_5_25_nodes", {"function": "eq_5_25_nodes", "points": [2.0]})],
    "jacobian_forward": [Case("mixed", {"f": {"kind": "mixed"}, "x": [0.5, -0.3, 1.2]})],
    "jacobian_reverse": [Case("mixed", {"f": {"kind": "mixed"}, "x": [0.5, -0.3, 1.2]})],
    "chain_cost": [Case("forward", {"dims": [3, 4, 5, 2], "mode": "forward"})],
    "collapse_linear": [Case("small", collapse_case(4, 2, 3, 2))],
    "xor_relu_net": [Case("xor", {})],
    "random_features_fit": [Case("width_10", sine_features(8, 10, n=100))],
}
