"""Hidden cases of chapter 4."""
import numpy as np

from ..chapters.ch04_gradient_descent import quadratic, regression
from ..spec import Case

_BOWL = quadratic(10.0)  # largest eigenvalue L = 10
_SADDLE = {"kind": "quadratic", "A": np.diag([2.0, -2.0]), "b": np.zeros(2)}
_INTEGER_BOWL = {"kind": "quadratic", "A": np.array([[3.0, 1.0], [1.0, 2.0]]), "b": np.array([5.0, 5.0])}
_WELL = {"kind": "double_well"}
_ROSENBROCK = {"kind": "rosenbrock", "a": 1.0, "b": 100.0}
_X0 = np.array([-1.0, 2.0])


def _gd(f, x0, lr, **options):
    return {"f": f, "x0": np.asarray(x0, dtype=float), "lr": lr, "options": options}


def _momentum(f, x0, lr, momentum, steps):
    return {"f": f, "x0": np.asarray(x0, dtype=float), "lr": lr, "momentum": momentum, "steps": steps}


def _steps(t_max=100, **params):
    return {"steps": list(range(t_max + 1)), "params": params}


def _batch(seed, n, d, idx):
    rng = np.random.default_rng(seed)
    return {**regression(n, d=d, seed=seed), "theta": rng.standard_normal(d), "idx": np.asarray(idx)}


def _sgd(data_seed, n, /, **params):
    return {**regression(n, seed=data_seed), **params}


def _seeded(seed, **inputs):
    """Inputs that hand the student's function a seed (kept below 2**31: legacy numpy seeding)."""
    return {**inputs, "seed": seed % 2**31}


_BIG = regression(1000, seed=60)

CASES = {
    "gradient_descent": [
        Case("converges_0_9_of_2_over_L", _gd(_BOWL, _X0, 0.9 * 2 / 10)),
        Case("diverges_1_1_of_2_over_L", _gd(_BOWL, _X0, 1.1 * 2 / 10, max_iter=60)),
        Case("saddle_is_stationary", _gd(_SADDLE, [0.0, 0.0], 0.1)),
        Case("starts_at_minimum", _gd(_INTEGER_BOWL, [1.0, 2.0], 0.1)),
        Case("double_well_from_2", _gd(_WELL, [2.0], 0.01)),
        Case("rosenbrock_500", _gd(_ROSENBROCK, [-1.2, 1.0], 1e-3, max_iter=500)),
        Case("loose_tolerance", _gd(_BOWL, _X0, 0.05, tol=1e-2)),
        Case("max_iter_0", _gd(_BOWL, _X0, 0.1, max_iter=0))],
    "backtracking_line_search": [
        Case("bowl_far", {"f": _BOWL, "x": np.array([5.0, -4.0])}),
        Case("rosenbrock", {"f": _ROSENBROCK, "x": np.array([-1.2, 1.0])}),
        Case("nan_outside_domain", {"f": {"kind": "log_barrier"}, "x": np.array([3.0, 2.0]),
                                    "options": {"alpha0": 10.0}}),
        Case("stationary_returns_alpha0", {"f": _INTEGER_BOWL, "x": np.array([1.0, 2.0]),
                                           "options": {"alpha0": 2.0}}),
        Case("custom_c_beta", {"f": _WELL, "x": np.array([1.7]),
                               "options": {"alpha0": 1.0, "c": 0.5, "beta": 0.8}})],
    "lr_linear": [Case("steps_0_100", _steps(a0=0.3, a_end=0.01, rho=60)),
                  Case("past_rho_stays_at_a_end", _steps(a0=1.0, a_end=0.0, rho=10)),
                  Case("rho_1", _steps(5, a0=0.2, a_end=0.05, rho=1))],
    "lr_inverse_time": [Case("steps_0_100", _steps(a0=0.3, rho=0.5)),
                        Case("not_compounding", _steps(a0=1.0, rho=0.1)),
                        Case("rho_0_constant", _steps(10, a0=0.7, rho=0.0))],
    "lr_exp": [Case("steps_0_100", _steps(a0=0.3, rho=0.05)),
               Case("step_1_already_decayed", _steps(3, a0=1.0, rho=1.0))],
    "momentum_gd": [
        Case("ill_conditioned", _momentum(quadratic(50.0), _X0, 0.02, 0.9, 100)),
        Case("momentum_0_is_gd", _momentum(_BOWL, _X0, 0.1, 0.0, 40)),
        Case("constant_gradient", _momentum({"kind": "linear", "g": np.array([3.0, -4.0])},
                                            [0.0, 0.0], 0.1, 0.8, 60)),
        Case("double_well_gd", _momentum(_WELL, [2.0], 0.01, 0.0, 500)),
        Case("double_well_momentum", _momentum(_WELL, [2.0], 0.01, 0.9, 500)),
        Case("momentum_1_raises", _momentum(_BOWL, _X0, 0.05, 1.0, 20))],
    "minibatches": [Case.drawn("n23_m5", _seeded, 7, n=23, batch_size=5),
                    Case.drawn("n10_m10", _seeded, 3, n=10, batch_size=10),
                    Case.drawn("n7_m20", _seeded, 4, n=7, batch_size=20),
                    Case.drawn("n100_m1", _seeded, 5, n=100, batch_size=1),
                    Case("no_rng_in_order", {"n": 11, "batch_size": 4, "seed": None}),
                    Case("batch_size_0_raises", {"n": 5, "batch_size": 0, "seed": 1})],
    "minibatch_grad": [Case.drawn("three_rows", _batch, 61, 30, 3, [2, 17, 9]),
                       Case.drawn("all_rows", _batch, 62, 12, 4, np.arange(12)),
                       Case.drawn("one_row", _batch, 63, 10, 2, [4]),
                       Case.drawn("repeated_row", _batch, 64, 10, 2, [1, 1, 5]),
                       Case("empty_raises", _batch(65, 10, 2, np.array([], dtype=int)))],
    "sgd": [
        Case.drawn("full_batch_no_shuffle_is_gd", _sgd, 66, 50, lr=0.1, batch_size=50, epochs=30,
                   seed=None),
        Case.drawn("full_batch_shuffled", _sgd, 67, 50, lr=0.1, batch_size=64, epochs=30, seed=3),
        Case.drawn("in_order_momentum_schedule", _sgd, 68, 50, batch_size=7, epochs=6,
                   lr={"kind": "exp", "a0": 0.05, "rho": 0.01}, seed=None, momentum=0.5),
        Case("shuffled_decaying_lr", {**_BIG, "batch_size": 10, "epochs": 20, "seed": 69, "band": 1e-2,
                                      "lr": {"kind": "inverse_time", "a0": 0.05, "rho": 0.05}}),
        Case("shuffled_momentum", {**_BIG, "batch_size": 10, "epochs": 20, "seed": 70, "band": 1e-2,
                                   "momentum": 0.9,
                                   "lr": {"kind": "inverse_time", "a0": 0.005, "rho": 0.05}}),
        Case.drawn("zero_epochs", _sgd, 71, 10, lr=0.1, batch_size=3, epochs=0, seed=None),
        Case("momentum_1_raises", {**regression(10, seed=72), "lr": 0.1, "batch_size": 5, "epochs": 2,
                                   "seed": None, "momentum": 1.0})],
}
