"""An independent, correct chapter-5 submission written differently from solutions/ (tests only)."""
import math

import numpy as np

_FUNCS = {
    "relu": (lambda z: z * (z > 0), lambda a: (a > 0) * 1.0),
    "sigmoid": (lambda z: np.exp(-np.logaddexp(0.0, -z)), lambda a: a - a * a),
    "tanh": (np.tanh, lambda a: 1.0 - a * a),
    "linear": (lambda z: z + 0.0, np.ones_like),
}


def dense_forward(x, W, b, activation):
    if activation not in _FUNCS:
        raise ValueError(activation)
    z = np.einsum("ni,oi->no", np.asarray(x, float), np.asarray(W, float)) + np.asarray(b, float)
    return _FUNCS[activation][0](z)


def mlp_forward(x, params, activations):
    if len(params) != len(activations):
        raise ValueError("one activation per layer")
    outs = [np.asarray(x, float)]
    for (W, b), act in zip(params, activations):
        outs.append(dense_forward(outs[-1], W, b, act))
    cache = {"outs": outs, "weights": [np.asarray(W, float) for W, _ in params], "acts": list(activations)}
    return outs[-1], cache


def mlp_backward(cache, dL_dy):
    outs, weights, acts = cache["outs"], cache["weights"], cache["acts"]
    g = np.asarray(dL_dy, float)
    grads = [None] * len(weights)
    for k in range(len(weights) - 1, -1, -1):
        d = g * _FUNCS[acts[k]][1](outs[k + 1])  # derivative from the layer's output
        grads[k] = (np.einsum("no,ni->oi", d, outs[k]), np.einsum("no->o", d))
        g = np.einsum("no,oi->ni", d, weights[k])
    return grads


def numerical_gradient(f, theta, h=1e-6):
    base = np.array(theta, dtype=float)
    flat = base.ravel()
    out = np.empty(flat.size)
    for i in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[i] += h
        down[i] -= h
        out[i] = (f(up.reshape(base.shape)) - f(down.reshape(base.shape))) / (2 * h)
    return out.reshape(base.shape)


def _dual(v):
    return v if isinstance(v, Dual) else Dual(v, 0.0)


class Dual:
    def __init__(self, value, deriv=0.0):
        self.value, self.deriv = float(value), float(deriv)

    def _unary(self, value, slope):
        return Dual(value, slope * self.deriv)

    def __add__(self, o):
        o = _dual(o)
        return Dual(self.value + o.value, self.deriv + o.deriv)

    __radd__ = __add__

    def __sub__(self, o):
        o = _dual(o)
        return Dual(self.value - o.value, self.deriv - o.deriv)

    def __rsub__(self, o):
        return _dual(o) - self

    def __neg__(self):
        return Dual(-self.value, -self.deriv)

    def __mul__(self, o):
        o = _dual(o)
        return Dual(self.value * o.value, self.value * o.deriv + o.value * self.deriv)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = _dual(o)
        return Dual(self.value / o.value, (self.deriv * o.value - self.value * o.deriv) / o.value ** 2)

    def __rtruediv__(self, o):
        return _dual(o) / self

    def __pow__(self, p):
        return self._unary(self.value ** p, p * self.value ** (p - 1))

    def __rpow__(self, c):
        return (self * math.log(c)).exp()

    def log(self):
        return self._unary(math.log(self.value), 1.0 / self.value)

    def sqrt(self):
        r = math.sqrt(self.value)
        return self._unary(r, 0.5 / r)

    def exp(self):
        e = math.exp(self.value)
        return self._unary(e, e)


def _var(v):
    return v if isinstance(v, Var) else Var(v)


class Var:
    def __init__(self, value, inputs=()):
        self.value, self.grad, self.inputs = float(value), 0.0, tuple(inputs)

    def __add__(self, o):
        o = _var(o)
        return Var(self.value + o.value, [(self, 1.0), (o, 1.0)])

    __radd__ = __add__

    def __sub__(self, o):
        o = _var(o)
        return Var(self.value - o.value, [(self, 1.0), (o, -1.0)])

    def __rsub__(self, o):
        return _var(o) - self

    def __neg__(self):
        return Var(-self.value, [(self, -1.0)])

    def __mul__(self, o):
        o = _var(o)
        return Var(self.value * o.value, [(self, o.value), (o, self.value)])

    __rmul__ = __mul__

    def __truediv__(self, o):
        return self * _var(o) ** -1

    def __rtruediv__(self, o):
        return _var(o) * self ** -1

    def __pow__(self, p):
        return Var(self.value ** p, [(self, p * self.value ** (p - 1))])

    def __rpow__(self, c):
        return (self * math.log(c)).exp()

    def log(self):
        return Var(math.log(self.value), [(self, 1.0 / self.value)])

    def sqrt(self):
        r = math.sqrt(self.value)
        return Var(r, [(self, 0.5 / r)])

    def exp(self):
        e = math.exp(self.value)
        return Var(e, [(self, e)])

    def backward(self):
        # Kahn's algorithm: count the uses of each node, release a node once all its users are done
        uses, todo, seen = {}, [self], {id(self)}
        while todo:
            node = todo.pop()
            for parent, _ in node.inputs:
                uses[id(parent)] = uses.get(id(parent), 0) + 1
                if id(parent) not in seen:
                    seen.add(id(parent))
                    todo.append(parent)
        self.grad += 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            for parent, local in node.inputs:
                parent.grad += node.grad * local
                uses[id(parent)] -= 1
                if uses[id(parent)] == 0:
                    ready.append(parent)


def jacobian_forward(f, x):
    n = len(x)
    J = None
    for j in range(n):
        out = f([Dual(x[i], float(i == j)) for i in range(n)])
        if J is None:
            J = np.zeros((len(out), n))
        J[:, j] = [o.deriv for o in out]
    return J


def jacobian_reverse(f, x):
    inputs = [Var(v) for v in x]
    outs = f(inputs)
    J = np.zeros((len(outs), len(x)))
    for i in range(len(outs)):
        if i > 0:
            inputs = [Var(v) for v in x]
            outs = f(inputs)
        outs[i].backward()
        J[i] = [v.grad for v in inputs]
    return J


def chain_cost(dims, mode):
    if mode not in ("forward", "reverse") or len(dims) < 2:
        raise ValueError("bad arguments")
    shapes = [(dims[k], dims[k - 1]) for k in range(1, len(dims))]  # J_1, ..., J_l
    if mode == "reverse":
        shapes = [(c, r) for r, c in reversed(shapes)]  # transposed chain, same count
    rows, cols = shapes[0]
    count = 0
    for r, c in shapes[1:]:
        count += r * rows * cols
        rows = r
    return int(count)


def collapse_linear(W1, b1, W2, b2):
    W2 = np.asarray(W2, float)
    return np.einsum("ij,jk->ik", W2, W1), np.einsum("ij,j->i", W2, b1) + b2


def xor_relu_net():
    return [(np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2)), (np.array([[1.0, 1.0]]), np.zeros(1))]


def random_features_fit(x, y, W, b, activation="sigmoid"):
    features = dense_forward(x, W, b, activation)
    return np.linalg.pinv(features, rcond=1e-13) @ np.asarray(y, float)
