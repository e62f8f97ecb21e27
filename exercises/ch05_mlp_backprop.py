# %% [markdown]
# # Chapter 5 - Multi-layer perceptrons and back-propagation (from-scratch exercises).
#
# Conventions used throughout this file:
#
# * Samples are rows: a batch of inputs `x` has shape `(n, d_in)`. A layer's weights follow the
#   notes' layout (5.9)/(5.12): `W` has shape `(out, in)` (one row per hidden unit) and `b` shape
#   `(out,)`, so in row form a layer computes `z = x @ W.T + b` and `h = sigma(z)`. A Keras
#   `Dense` kernel is `W.T` (shape `(in, out)`).
# * `params` of an MLP is a list of pairs `(W, b)`, first layer first; `activations` is a list of
#   the same length naming each layer's nonlinearity: `"relu"` (5.6), `"sigmoid"` (5.5),
#   `"tanh"` or `"linear"` (the identity, the usual output layer (5.17)).
# * The ReLU is not differentiable at 0; like TensorFlow, use the derivative 0 there (`z > 0`).
# * Automatic differentiation (5.25)-(5.30) is done on scalars: `Dual` carries a value and its
#   derivative forward (forward mode); `Var` records the graph and `backward()` runs reverse mode.
#   Both support `+ - * /` and unary `-` with numbers on either side, `** number`,
#   `number ** self`, and the methods `log()`, `sqrt()` and `exp()`. Values are Python floats;
#   `log` and `sqrt` outside their domain raise `ValueError` (as `math.log`/`math.sqrt` do).
# * Jacobians have shape `(m, n)` for `f: R^n -> R^m` (5.35): row `i` is output `f_i`.
#
# Use numpy and math only. A function may call the other exercises of this file.
#
# **How to work in this notebook.** Run the setup cell below first. Then, for each exercise, write your
# code in place of the `raise NotImplementedError(...)` line, run the cell, and run the check cell
# after it: `check("name")` runs that exercise's public checks on the definition in this kernel and
# prints `PASS` or `FAIL` for each case (a hang stops after the time limit; an error in your code is a
# `FAIL` line); `check()` runs the whole chapter. From a shell, `autograder check ch05` checks the
# exercises folder (this notebook, or the paired `ch05_mlp_backprop.py` file), and `autograder check
# ch05_mlp_backprop.ipynb` this notebook. Your grade comes from hidden cases with other inputs. Scratch
# cells (plots, training runs, prints) are fine: grading keeps only the imports, definitions and
# constants, and leaves the rest out.
#
# _Generated from the answer key by `autograder sync` (course maintainers edit `solutions/`)._

# %%
import math

import numpy as np

# check("name") runs an exercise's public checks on your definition; check() all of them
from autograder.notebook import Checks

check = Checks("ch05_mlp_backprop")


# %% [markdown]
# ## Exercise `dense_forward` (2 points)
#
# One fully connected layer (5.9) in row form: `sigma(x @ W.T + b)`.
#
# **Args:**
#
# - x: inputs of shape `(n, in)`.
# - W: weights of shape `(out, in)` (the notes' layout; Keras' kernel is `W.T`).
# - b: bias of shape `(out,)`.
# - activation: `"relu"`, `"sigmoid"`, `"tanh"` or `"linear"`. Compute the sigmoid
#   without overflow warnings for large `|z|` (e.g. as `(1 + tanh(z / 2)) / 2`).
#
# **Returns:**
#
# - np.ndarray of shape `(n, out)`.
#
# **Raises:**
#
# - ValueError: for an unknown activation name.

# %%
def dense_forward(x, W, b, activation):
    """One fully connected layer (5.9) in row form: ``sigma(x @ W.T + b)``.

    Args:
        x: inputs of shape ``(n, in)``.
        W: weights of shape ``(out, in)`` (the notes' layout; Keras' kernel is ``W.T``).
        b: bias of shape ``(out,)``.
        activation: ``"relu"``, ``"sigmoid"``, ``"tanh"`` or ``"linear"``. Compute the sigmoid
            without overflow warnings for large ``|z|`` (e.g. as ``(1 + tanh(z / 2)) / 2``).

    Returns:
        np.ndarray of shape ``(n, out)``.

    Raises:
        ValueError: for an unknown activation name.
    """
    raise NotImplementedError("ch05_mlp_backprop.dense_forward: not implemented yet")


# %%
check("dense_forward")


# %% [markdown]
# ## Exercise `mlp_forward` (3 points)
#
# Forward pass of an MLP (5.7)-(5.9): `h_0 = x`, `h_k = sigma_k(h_{k-1} @ W_k.T + b_k)`.
#
# Back-propagation needs the values of the forward pass (5.30): keep in `cache` whatever
# `mlp_backward` will need (e.g. each layer's input, pre-activation `z`, weights and activation
# name). The cache's content is up to you; only your own `mlp_backward` reads it.
#
# **Args:**
#
# - x: inputs of shape `(n, d_0)`.
# - params: list of `l` pairs `(W_k, b_k)`, `W_k` of shape `(d_k, d_{k-1})`, `b_k` of
#   shape `(d_k,)`.
# - activations: list of `l` activation names (see `dense_forward`).
#
# **Returns:**
#
# - (y, cache): the outputs `h_l` of shape `(n, d_l)` and the cache.
#
# **Raises:**
#
# - ValueError: if `params` and `activations` differ in length, or for an unknown activation.

# %%
def mlp_forward(x, params, activations):
    """Forward pass of an MLP (5.7)-(5.9): ``h_0 = x``, ``h_k = sigma_k(h_{k-1} @ W_k.T + b_k)``.

    Back-propagation needs the values of the forward pass (5.30): keep in ``cache`` whatever
    ``mlp_backward`` will need (e.g. each layer's input, pre-activation ``z``, weights and activation
    name). The cache's content is up to you; only your own ``mlp_backward`` reads it.

    Args:
        x: inputs of shape ``(n, d_0)``.
        params: list of ``l`` pairs ``(W_k, b_k)``, ``W_k`` of shape ``(d_k, d_{k-1})``, ``b_k`` of
            shape ``(d_k,)``.
        activations: list of ``l`` activation names (see ``dense_forward``).

    Returns:
        (y, cache): the outputs ``h_l`` of shape ``(n, d_l)`` and the cache.

    Raises:
        ValueError: if ``params`` and ``activations`` differ in length, or for an unknown activation.
    """
    raise NotImplementedError("ch05_mlp_backprop.mlp_forward: not implemented yet")


# %%
check("mlp_forward")


# %% [markdown]
# ## Exercise `mlp_backward` (7 points)
#
# Back-propagation (5.45)-(5.49): gradients of a scalar loss `L` w.r.t. every `W_k` and `b_k`.
#
# `dL_dy` is the gradient of `L` with respect to the network's output `y` (shape `(n, d_l)`),
# e.g. `2 (y - t) / n` for the MEAN squared error (5.22) `L = (1/n) sum_i ||y_i - t_i||^2`; any
# `1/n` belongs to `dL_dy`, not to this function. Walking the layers backwards with
# `delta_k = dL/dz_k = dL/dh_k * sigma_k'(z_k)`::
#
#     dL/dW_k = delta_k.T @ h_{k-1},   dL/db_k = sum over samples of delta_k,
#     dL/dh_{k-1} = delta_k @ W_k.
#
# Derivatives: `relu' = 1 if z > 0 else 0` (0 at z = 0, as TensorFlow), `sigmoid' = s (1 - s)`,
# `tanh' = 1 - tanh^2`, `linear' = 1`.
#
# **Args:**
#
# - cache: the cache returned by your `mlp_forward`.
# - dL_dy: array of shape `(n, d_l)`.
#
# **Returns:**
#
# - list of `l` pairs `(dW_k, db_k)`, first layer first, with the shapes of `(W_k, b_k)`.

# %%
def mlp_backward(cache, dL_dy):
    """Back-propagation (5.45)-(5.49): gradients of a scalar loss ``L`` w.r.t. every ``W_k`` and ``b_k``.

    ``dL_dy`` is the gradient of ``L`` with respect to the network's output ``y`` (shape ``(n, d_l)``),
    e.g. ``2 (y - t) / n`` for the MEAN squared error (5.22) ``L = (1/n) sum_i ||y_i - t_i||^2``; any
    ``1/n`` belongs to ``dL_dy``, not to this function. Walking the layers backwards with
    ``delta_k = dL/dz_k = dL/dh_k * sigma_k'(z_k)``::

        dL/dW_k = delta_k.T @ h_{k-1},   dL/db_k = sum over samples of delta_k,
        dL/dh_{k-1} = delta_k @ W_k.

    Derivatives: ``relu' = 1 if z > 0 else 0`` (0 at z = 0, as TensorFlow), ``sigmoid' = s (1 - s)``,
    ``tanh' = 1 - tanh^2``, ``linear' = 1``.

    Args:
        cache: the cache returned by your ``mlp_forward``.
        dL_dy: array of shape ``(n, d_l)``.

    Returns:
        list of ``l`` pairs ``(dW_k, db_k)``, first layer first, with the shapes of ``(W_k, b_k)``.
    """
    raise NotImplementedError("ch05_mlp_backprop.mlp_backward: not implemented yet")


# %%
check("mlp_backward")


# %% [markdown]
# ## Exercise `numerical_gradient` (2 points)
#
# Gradient of a scalar function by central differences: `(f(t + h e_i) - f(t - h e_i)) / (2h)`.
#
# The cost that motivates automatic differentiation (section 5.3): exactly `2 p` evaluations of
# `f` for `p` parameters (not one more), against one forward and one backward pass for
# back-propagation. The truncation error is `O(h^2)` and the rounding error about
# `1e-16 |f| / h`: with `h = 1e-6` both are far below 1e-6 for smooth functions of moderate size.
# (Graded within 1e-7 relative of the reference's central differences: a one-sided difference,
# off by about `h f'' / 2`, does not pass.)
#
# **Args:**
#
# - f: function of an array of `theta`'s shape, returning a float.
# - theta: array of any shape (`p` entries); it must not be modified. Pass `f` float arrays.
# - h: step.
#
# **Returns:**
#
# - np.ndarray of `theta`'s shape (float).

# %%
def numerical_gradient(f, theta, h=1e-6):
    """Gradient of a scalar function by central differences: ``(f(t + h e_i) - f(t - h e_i)) / (2h)``.

    The cost that motivates automatic differentiation (section 5.3): exactly ``2 p`` evaluations of
    ``f`` for ``p`` parameters (not one more), against one forward and one backward pass for
    back-propagation. The truncation error is ``O(h^2)`` and the rounding error about
    ``1e-16 |f| / h``: with ``h = 1e-6`` both are far below 1e-6 for smooth functions of moderate size.
    (Graded within 1e-7 relative of the reference's central differences: a one-sided difference,
    off by about ``h f'' / 2``, does not pass.)

    Args:
        f: function of an array of ``theta``'s shape, returning a float.
        theta: array of any shape (``p`` entries); it must not be modified. Pass ``f`` float arrays.
        h: step.

    Returns:
        np.ndarray of ``theta``'s shape (float).
    """
    raise NotImplementedError("ch05_mlp_backprop.numerical_gradient: not implemented yet")


# %%
check("numerical_gradient")


# %% [markdown]
# ## Exercise `Dual` (5 points)
#
# A forward-mode number `value + deriv * eps` (eps^2 = 0): the value of a node of the graph and
# its derivative with respect to the chosen input, carried forward together (5.29).
#
# `Dual(value, deriv=0.0)` has the attributes `value` and `deriv` (Python floats). To
# differentiate `f` at `x`, evaluate `f(Dual(x, 1.0))`: the result's `deriv` is `f'(x)`.
# Numbers are constants (derivative 0). Supported: `a + b`, `a - b`, `a * b`, `a / b` with a
# Dual on either side (so `2 * x`, `1 - x` and `1 / x` work), `-a`, `a ** p` for a number
# `p` (`p a^(p-1) a'`), `c ** a` for a number `c > 0` (`c^a ln(c) a'`), and the methods
# `a.log()`, `a.sqrt()`, `a.exp()` returning new Duals. Nothing is modified in place.
#
# **Example (5.25), real only for `x >= 1` and differentiable for `x > 1`:**
#
# `y = x.log(); f = y + y.sqrt()` gives `f.deriv = 1/x + 1/(2 x sqrt(log x))`; at `x < 1`
# `sqrt` of a negative number raises `ValueError`.

# %%
class Dual:
    """A forward-mode number ``value + deriv * eps`` (eps^2 = 0): the value of a node of the graph and
    its derivative with respect to the chosen input, carried forward together (5.29).

    ``Dual(value, deriv=0.0)`` has the attributes ``value`` and ``deriv`` (Python floats). To
    differentiate ``f`` at ``x``, evaluate ``f(Dual(x, 1.0))``: the result's ``deriv`` is ``f'(x)``.
    Numbers are constants (derivative 0). Supported: ``a + b``, ``a - b``, ``a * b``, ``a / b`` with a
    Dual on either side (so ``2 * x``, ``1 - x`` and ``1 / x`` work), ``-a``, ``a ** p`` for a number
    ``p`` (``p a^(p-1) a'``), ``c ** a`` for a number ``c > 0`` (``c^a ln(c) a'``), and the methods
    ``a.log()``, ``a.sqrt()``, ``a.exp()`` returning new Duals. Nothing is modified in place.

    Example (5.25), real only for ``x >= 1`` and differentiable for ``x > 1``:
    ``y = x.log(); f = y + y.sqrt()`` gives ``f.deriv = 1/x + 1/(2 x sqrt(log x))``; at ``x < 1``
    ``sqrt`` of a negative number raises ``ValueError``.
    """

    def __init__(self, value, deriv=0.0):
        """Store ``value`` and ``deriv`` as floats."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__init__: not implemented yet")

    def __add__(self, other):
        """``self + other``; ``other`` is a Dual or a number."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__add__: not implemented yet")

    def __radd__(self, other):
        """``other + self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__radd__: not implemented yet")

    def __neg__(self):
        """``-self``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__neg__: not implemented yet")

    def __sub__(self, other):
        """``self - other``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__sub__: not implemented yet")

    def __rsub__(self, other):
        """``other - self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__rsub__: not implemented yet")

    def __mul__(self, other):
        """``self * other`` (product rule)."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__mul__: not implemented yet")

    def __rmul__(self, other):
        """``other * self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__rmul__: not implemented yet")

    def __truediv__(self, other):
        """``self / other`` (quotient rule)."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__truediv__: not implemented yet")

    def __rtruediv__(self, other):
        """``other / self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__rtruediv__: not implemented yet")

    def __pow__(self, p):
        """``self ** p`` for a number ``p``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__pow__: not implemented yet")

    def __rpow__(self, c):
        """``c ** self`` for a number ``c > 0``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.__rpow__: not implemented yet")

    def log(self):
        """Natural logarithm; ``ValueError`` for a value ``<= 0``."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.log: not implemented yet")

    def sqrt(self):
        """Square root; ``ValueError`` for a negative value."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.sqrt: not implemented yet")

    def exp(self):
        """Exponential."""
        raise NotImplementedError("ch05_mlp_backprop.Dual.exp: not implemented yet")


# %%
check("Dual")


# %% [markdown]
# ## Exercise `Var` (6 points)
#
# A node of a reverse-mode graph (5.30): `Var(value)` has `value` (float) and `grad`
# (float, 0.0 until `backward` runs).
#
# The operations of `Dual` (`+ - * /` and unary `-` with numbers on either side,
# `** number`, `number ** self`, `log()`, `sqrt()`, `exp()`) return new Vars that
# remember their parents and the local derivatives `d node / d parent`. `out.backward()` sets
# `out.grad = 1` and propagates `parent.grad += local * node.grad` through the graph, so that
# ONE call leaves `d out / d v` in the `grad` of every Var `v` that `out` depends on.
#
# Two requirements the grader checks:
#
# * accumulate: a node that feeds several others (`y` in (5.25) feeds both `z = sqrt(y)` and
#   `f = y + z`; `x` in `x * x`) collects the SUM of the contributions, never the last one;
# * visit each node once, after every node that uses it (reverse topological order), so the cost is
#   proportional to the size of the graph. Propagating path by path is exponential: a chain of 40
#   "diamonds" `h = h + 0.5 * h` has 2^40 paths. Build the order without deep recursion (graphs
#   of a few thousand nodes must work).
#
# Call `backward` once per graph (build a fresh graph to differentiate another output).

# %%
class Var:
    """A node of a reverse-mode graph (5.30): ``Var(value)`` has ``value`` (float) and ``grad``
    (float, 0.0 until ``backward`` runs).

    The operations of ``Dual`` (``+ - * /`` and unary ``-`` with numbers on either side,
    ``** number``, ``number ** self``, ``log()``, ``sqrt()``, ``exp()``) return new Vars that
    remember their parents and the local derivatives ``d node / d parent``. ``out.backward()`` sets
    ``out.grad = 1`` and propagates ``parent.grad += local * node.grad`` through the graph, so that
    ONE call leaves ``d out / d v`` in the ``grad`` of every Var ``v`` that ``out`` depends on.

    Two requirements the grader checks:

    * accumulate: a node that feeds several others (``y`` in (5.25) feeds both ``z = sqrt(y)`` and
      ``f = y + z``; ``x`` in ``x * x``) collects the SUM of the contributions, never the last one;
    * visit each node once, after every node that uses it (reverse topological order), so the cost is
      proportional to the size of the graph. Propagating path by path is exponential: a chain of 40
      "diamonds" ``h = h + 0.5 * h`` has 2^40 paths. Build the order without deep recursion (graphs
      of a few thousand nodes must work).

    Call ``backward`` once per graph (build a fresh graph to differentiate another output).
    """

    def __init__(self, value):
        """A leaf: ``value`` as a float, ``grad = 0.0``, no parents."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__init__: not implemented yet")

    def __add__(self, other):
        """``self + other``; ``other`` is a Var or a number."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__add__: not implemented yet")

    def __radd__(self, other):
        """``other + self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__radd__: not implemented yet")

    def __neg__(self):
        """``-self``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__neg__: not implemented yet")

    def __sub__(self, other):
        """``self - other``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__sub__: not implemented yet")

    def __rsub__(self, other):
        """``other - self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__rsub__: not implemented yet")

    def __mul__(self, other):
        """``self * other`` (product rule)."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__mul__: not implemented yet")

    def __rmul__(self, other):
        """``other * self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__rmul__: not implemented yet")

    def __truediv__(self, other):
        """``self / other`` (quotient rule)."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__truediv__: not implemented yet")

    def __rtruediv__(self, other):
        """``other / self`` for a number ``other``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__rtruediv__: not implemented yet")

    def __pow__(self, p):
        """``self ** p`` for a number ``p``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__pow__: not implemented yet")

    def __rpow__(self, c):
        """``c ** self`` for a number ``c > 0``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.__rpow__: not implemented yet")

    def log(self):
        """Natural logarithm; ``ValueError`` for a value ``<= 0``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.log: not implemented yet")

    def sqrt(self):
        """Square root; ``ValueError`` for a negative value."""
        raise NotImplementedError("ch05_mlp_backprop.Var.sqrt: not implemented yet")

    def exp(self):
        """Exponential."""
        raise NotImplementedError("ch05_mlp_backprop.Var.exp: not implemented yet")

    def backward(self):
        """Reverse pass from ``self``: ``self.grad = 1``, then every ancestor's ``grad``."""
        raise NotImplementedError("ch05_mlp_backprop.Var.backward: not implemented yet")


# %%
check("Var")


# %% [markdown]
# ## Exercise `jacobian_forward` (3 points)
#
# Jacobian of `f: R^n -> R^m` by forward mode: one pass (one JVP) per INPUT, `n` in all.
#
# Pass `j` calls `f` on Duals seeded with `deriv = 1` on input `j` and 0 elsewhere; the
# `deriv` of the outputs is column `j` of `J`. Call `f` exactly `n` times, always with a
# list of `Dual` (the grader counts the calls and checks the argument types).
#
# **Args:**
#
# - f: function of a list of `n` scalars (Duals) returning a list of `m` scalars, written with
#   the operations of `Dual` only.
# - x: point, a sequence of `n` floats.
#
# **Returns:**
#
# - np.ndarray `J` of shape `(m, n)`, `J[i, j] = d f_i / d x_j` (5.35).

# %%
def jacobian_forward(f, x):
    """Jacobian of ``f: R^n -> R^m`` by forward mode: one pass (one JVP) per INPUT, ``n`` in all.

    Pass ``j`` calls ``f`` on Duals seeded with ``deriv = 1`` on input ``j`` and 0 elsewhere; the
    ``deriv`` of the outputs is column ``j`` of ``J``. Call ``f`` exactly ``n`` times, always with a
    list of ``Dual`` (the grader counts the calls and checks the argument types).

    Args:
        f: function of a list of ``n`` scalars (Duals) returning a list of ``m`` scalars, written with
            the operations of ``Dual`` only.
        x: point, a sequence of ``n`` floats.

    Returns:
        np.ndarray ``J`` of shape ``(m, n)``, ``J[i, j] = d f_i / d x_j`` (5.35).
    """
    raise NotImplementedError("ch05_mlp_backprop.jacobian_forward: not implemented yet")


# %%
check("jacobian_forward")


# %% [markdown]
# ## Exercise `jacobian_reverse` (3 points)
#
# Jacobian of `f: R^n -> R^m` by reverse mode: one pass (one VJP) per OUTPUT, `m` in all.
#
# Pass `i` calls `f` on fresh `Var` inputs and runs `backward()` from output `i`; the
# inputs' `grad` are row `i` of `J`. A fresh graph per row keeps the accumulated gradients of
# different rows apart. Call `f` exactly `m` times, always with a list of `Var` (the grader
# counts the calls and checks the argument types); `m` is known after the first call.
#
# **Args:**
#
# - f: function of a list of `n` scalars (Vars) returning a list of `m` scalars, written with
#   the operations of `Var` only; every output depends on the inputs through Vars.
# - x: point, a sequence of `n` floats.
#
# **Returns:**
#
# - np.ndarray `J` of shape `(m, n)`.

# %%
def jacobian_reverse(f, x):
    """Jacobian of ``f: R^n -> R^m`` by reverse mode: one pass (one VJP) per OUTPUT, ``m`` in all.

    Pass ``i`` calls ``f`` on fresh ``Var`` inputs and runs ``backward()`` from output ``i``; the
    inputs' ``grad`` are row ``i`` of ``J``. A fresh graph per row keeps the accumulated gradients of
    different rows apart. Call ``f`` exactly ``m`` times, always with a list of ``Var`` (the grader
    counts the calls and checks the argument types); ``m`` is known after the first call.

    Args:
        f: function of a list of ``n`` scalars (Vars) returning a list of ``m`` scalars, written with
            the operations of ``Var`` only; every output depends on the inputs through Vars.
        x: point, a sequence of ``n`` floats.

    Returns:
        np.ndarray ``J`` of shape ``(m, n)``.
    """
    raise NotImplementedError("ch05_mlp_backprop.jacobian_reverse: not implemented yet")


# %%
check("jacobian_reverse")


# %% [markdown]
# ## Exercise `chain_cost` (2 points)
#
# Number of scalar multiplications to form the Jacobian of a chain `f = f_l o ... o f_1` (5.32).
#
# `dims = [d_0, d_1, ..., d_l]` with `d_0 = n` (input) and `d_l = m` (output); layer `k` has
# the Jacobian `J_k = d f_k / d h_{k-1}` of shape `(d_k, d_{k-1})` and `J = J_l ... J_1`
# (`l` factors). Multiplying `(a x b) @ (b x c)` costs `a b c`.
#
# * `"forward"`: `J_2 J_1`, then `J_3 (J_2 J_1)`, ... (every product has `n` columns):
#   `n * sum_{k=2}^{l} d_k d_{k-1}`.
# * `"reverse"`: `J_l J_{l-1}`, then `(J_l J_{l-1}) J_{l-2}`, ... (`m` rows):
#   `m * sum_{k=1}^{l-1} d_k d_{k-1}`.
#
# Erratum: the notes index the chain off by one ((5.37) writes `J = J_{l-1} ... J_1`) and their
# totals (5.42)/(5.44) drop terms; the formulas above count every product. A chain of one layer
# costs 0 (`J = J_1`).
#
# **Args:**
#
# - dims: sequence of `l + 1` positive ints.
# - mode: `"forward"` or `"reverse"`.
#
# **Returns:**
#
# - int.
#
# **Raises:**
#
# - ValueError: for an unknown mode or fewer than 2 dims.

# %%
def chain_cost(dims, mode):
    """Number of scalar multiplications to form the Jacobian of a chain ``f = f_l o ... o f_1`` (5.32).

    ``dims = [d_0, d_1, ..., d_l]`` with ``d_0 = n`` (input) and ``d_l = m`` (output); layer ``k`` has
    the Jacobian ``J_k = d f_k / d h_{k-1}`` of shape ``(d_k, d_{k-1})`` and ``J = J_l ... J_1``
    (``l`` factors). Multiplying ``(a x b) @ (b x c)`` costs ``a b c``.

    * ``"forward"``: ``J_2 J_1``, then ``J_3 (J_2 J_1)``, ... (every product has ``n`` columns):
      ``n * sum_{k=2}^{l} d_k d_{k-1}``.
    * ``"reverse"``: ``J_l J_{l-1}``, then ``(J_l J_{l-1}) J_{l-2}``, ... (``m`` rows):
      ``m * sum_{k=1}^{l-1} d_k d_{k-1}``.

    Erratum: the notes index the chain off by one ((5.37) writes ``J = J_{l-1} ... J_1``) and their
    totals (5.42)/(5.44) drop terms; the formulas above count every product. A chain of one layer
    costs 0 (``J = J_1``).

    Args:
        dims: sequence of ``l + 1`` positive ints.
        mode: ``"forward"`` or ``"reverse"``.

    Returns:
        int.

    Raises:
        ValueError: for an unknown mode or fewer than 2 dims.
    """
    raise NotImplementedError("ch05_mlp_backprop.chain_cost: not implemented yet")


# %%
check("chain_cost")


# %% [markdown]
# ## Exercise `collapse_linear` (2 points)
#
# Two layers without activation are one affine layer (5.2): `W2 (W1 x + b1) + b2 = W x + b`.
#
# **Args:**
#
# - W1: `(d1, d0)`; b1: `(d1,)`; W2: `(d2, d1)`; b2: `(d2,)` (the notes' layout).
#
# **Returns:**
#
# - (W, b) of shapes `(d2, d0)` and `(d2,)`.

# %%
def collapse_linear(W1, b1, W2, b2):
    """Two layers without activation are one affine layer (5.2): ``W2 (W1 x + b1) + b2 = W x + b``.

    Args:
        W1: ``(d1, d0)``; b1: ``(d1,)``; W2: ``(d2, d1)``; b2: ``(d2,)`` (the notes' layout).

    Returns:
        (W, b) of shapes ``(d2, d0)`` and ``(d2,)``.
    """
    raise NotImplementedError("ch05_mlp_backprop.collapse_linear: not implemented yet")


# %%
check("collapse_linear")


# %% [markdown]
# ## Exercise `xor_relu_net` (2 points)
#
# Hand-chosen weights of a ReLU network with 2 hidden units that computes XOR exactly.
#
# XOR is not linearly separable, so no single affine layer (and, by `collapse_linear`, no stack
# of them) computes it; one hidden ReLU layer of width 2 does. Hint: let one unit count the inputs
# that are on and the other fire only when both are.
#
# **Returns:**
#
# - params `[(W1, b1), (W2, b2)]` with shapes `(2, 2)`, `(2,)`, `(1, 2)`, `(1,)` such that
#   `mlp_forward(x, params, ["relu", "linear"])[0]` is `[[0], [1], [1], [0]]` for
#   `x = [[0, 0], [0, 1], [1, 0], [1, 1]]` (exactly, up to rounding).

# %%
def xor_relu_net():
    """Hand-chosen weights of a ReLU network with 2 hidden units that computes XOR exactly.

    XOR is not linearly separable, so no single affine layer (and, by ``collapse_linear``, no stack
    of them) computes it; one hidden ReLU layer of width 2 does. Hint: let one unit count the inputs
    that are on and the other fire only when both are.

    Returns:
        params ``[(W1, b1), (W2, b2)]`` with shapes ``(2, 2)``, ``(2,)``, ``(1, 2)``, ``(1,)`` such that
        ``mlp_forward(x, params, ["relu", "linear"])[0]`` is ``[[0], [1], [1], [0]]`` for
        ``x = [[0, 0], [0, 1], [1, 0], [1, 1]]`` (exactly, up to rounding).
    """
    raise NotImplementedError("ch05_mlp_backprop.xor_relu_net: not implemented yet")


# %%
check("xor_relu_net")


# %% [markdown]
# ## Exercise `random_features_fit` (3 points)
#
# Output weights of a one-hidden-layer network with FIXED hidden units, by least squares.
#
# The universal approximation theorem (5.20) approximates `f` by `sum_k u_k sigma(w_k^T x + b_k)`
# where each unit `k` has its OWN `(w_k, b_k)` (erratum: the notes' Thm 5.1 uses one
# `phi = sigma(W x + b)` for every term, which spans a single function). With the hidden units
# fixed (rows `w_k` of `W`), the fit is linear in `u`: minimise `||Phi u - y||^2` with
# `Phi = sigma(x @ W.T + b)` of shape `(n, q)`. `Phi` is badly conditioned for wide layers: use
# `np.linalg.lstsq`, not the normal equations.
#
# **Args:**
#
# - x: inputs of shape `(n, d)`; y: targets of shape `(n,)`.
# - W: hidden weights `(q, d)`; b: hidden biases `(q,)`.
# - activation: name, as in `dense_forward`.
#
# **Returns:**
#
# - u of shape `(q,)` (no output bias); the fitted values are `Phi @ u`.

# %%
def random_features_fit(x, y, W, b, activation="sigmoid"):
    """Output weights of a one-hidden-layer network with FIXED hidden units, by least squares.

    The universal approximation theorem (5.20) approximates ``f`` by ``sum_k u_k sigma(w_k^T x + b_k)``
    where each unit ``k`` has its OWN ``(w_k, b_k)`` (erratum: the notes' Thm 5.1 uses one
    ``phi = sigma(W x + b)`` for every term, which spans a single function). With the hidden units
    fixed (rows ``w_k`` of ``W``), the fit is linear in ``u``: minimise ``||Phi u - y||^2`` with
    ``Phi = sigma(x @ W.T + b)`` of shape ``(n, q)``. ``Phi`` is badly conditioned for wide layers: use
    ``np.linalg.lstsq``, not the normal equations.

    Args:
        x: inputs of shape ``(n, d)``; y: targets of shape ``(n,)``.
        W: hidden weights ``(q, d)``; b: hidden biases ``(q,)``.
        activation: name, as in ``dense_forward``.

    Returns:
        u of shape ``(q,)`` (no output bias); the fitted values are ``Phi @ u``.
    """
    raise NotImplementedError("ch05_mlp_backprop.random_features_fit: not implemented yet")


# %%
check("random_features_fit")
