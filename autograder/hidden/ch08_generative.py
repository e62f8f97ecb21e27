"""Hidden cases of chapter 8 (the guide's checks, its errata and edge cases)."""
import numpy as np

from ..chapters.ch08_generative import (_keras, contractive_inputs, pca_codes, pca_data, pick, psd_matrix,
                                        sphere_points, vae_arrays)
from ..spec import Case
from . import Normal, draw


def _rng(seed):
    return np.random.default_rng(seed)


def _pca(seed, k, **data):
    return {"X": pca_data(seed, **data), "k": k}


def _codes(seed, keys, **sizes):
    return pick(pca_codes(seed, **sizes), *keys)


def _vae(seed, keys, **extra):
    return {**pick(vae_arrays(seed, batch=5, d=7, k=3), *keys), **extra}


def _power(seed, eigenvalues, **params):
    return {"C": psd_matrix(seed, eigenvalues), **params}


def _large_logits(seed):
    return {"x": (_rng(seed).uniform(size=(3, 10)) > 0.5).astype(float),
            "x_logits": 40 * _rng(seed + 1).standard_normal((3, 10)),
            "mu": _rng(seed + 2).standard_normal((3, 2)), "logvar": np.zeros((3, 2))}


def _active(seed):
    return {"mu": _rng(seed).standard_normal((40, 4)) * [0.2, 0.5, 1.0, 0.01], "threshold": 0.1}


def _sphere(seed, n, **fixed):
    return {"p": sphere_points(seed, n), **fixed}


def _plane(seed, n, scale):
    return {"u": _rng(seed).standard_normal((n, 2)) * scale}


_v0 = {"mu": np.zeros((3, 4)), "logvar": np.zeros((3, 4))}

# exact posterior of the linear Gaussian model: N(a x / (a^2 + s^2), s^2 / (a^2 + s^2))
_a, _s, _x = 1.3, 0.7, -0.8

CASES = {
    "pca_fit": [
        # (8.18) erratum: the minimizer gives the least-variance directions
        Case.drawn("max_variance_k1", _pca, 21, 1, n=30, d=4),
        Case.drawn("k3_of_6", _pca, 22, 3, n=50, d=6),
        Case.drawn("k_equals_d", _pca, 23, 3, n=20, d=3),
        Case.drawn("wide_n_less_than_d", _pca, 24, 2, n=5, d=8),
        # a repeated singular value inside the top-k: any basis of its space is right
        Case.drawn("repeated_eigenvalue", _pca, 25, 3, n=30, d=5,
                   singular_values=[6.0, 3.0, 3.0, 1.0, 0.5]),
        Case("k_zero_raises", {"X": pca_data(26, n=10, d=3), "k": 0}),
        Case("k_too_large_raises", {"X": pca_data(27, n=10, d=3), "k": 4})],
    "pca_encode": [Case.drawn("k3", _codes, 12, ("X", "mean", "W"), n=7, d=5, k=3),
                   Case.drawn("k_equals_d", _codes, 13, ("X", "mean", "W"), n=5, d=4, k=4)],
    "pca_decode": [Case.drawn("k3", _codes, 12, ("Z", "mean", "W"), n=7, d=5, k=3),
                   Case.drawn("k_equals_d", _codes, 13, ("Z", "mean", "W"), n=5, d=4, k=4)],
    "power_iteration": [
        Case.drawn("five_dims", _power, 31, [3.0, 2.5, 1.0, 0.4, 0.1], n_iter=400, rng_seed=1),
        Case("scatter_matrix_default_args", {"C": (lambda X: (X - X.mean(0)).T @ (X - X.mean(0)))(
            pca_data(32, n=30, d=4))}),
        # a start vector with a large component along the smallest eigenvector
        Case("diagonal", {"C": np.diag([0.5, 4.0, 1.0]), "n_iter": 300, "rng_seed": 2})],
    "build_autoencoder": [
        _keras("deep_shapes", {"input_dim": 9, "latent_dim": 3, "hidden_units": [16, 8], "seed": 1}),
        _keras("default_hidden_shapes", {"input_dim": 5, "latent_dim": 2, "hidden_units": None, "seed": 2}),
        _keras("linear_vs_pca_seed3", {"input_dim": 6, "latent_dim": 2, "hidden_units": [], "seed": 3,
                                       "train": True})],
    "kl_standard_normal": [Case.drawn("batch_k3", _vae, 11, ("mu", "logvar")),
                           Case("zero_at_prior", _v0),
                           Case("unit_mean_only", {"mu": np.ones((2, 3)), "logvar": np.zeros((2, 3))}),
                           Case("variance_only", {"mu": np.zeros((2, 2)), "logvar": np.log([[4.0, 0.25],
                                                                                            [1.0, 9.0]])})],
    "reparameterize": [Case.drawn("batch_k3", _vae, 11, ("mu", "logvar", "eps")),
                       Case("sigma_is_std", {"mu": np.zeros(3), "logvar": np.log([4.0, 9.0, 0.25]),
                                             "eps": np.ones(3)})],
    "vae_loss": [Case.drawn("batch_k3", _vae, 11, ("x", "x_logits", "mu", "logvar")),
                 Case.drawn("beta_4", _vae, 11, ("x", "x_logits", "mu", "logvar"), beta=4.0),
                 Case.drawn("binary_targets_large_logits", _large_logits, 41)],
    "linear_gaussian_elbo": [
        Case("exact_posterior_is_evidence", {"x": _x, "a": _a, "s": _s, "m": _a * _x / (_a ** 2 + _s ** 2),
                                             "v": _s ** 2 / (_a ** 2 + _s ** 2)}),
        Case("s_is_std_not_variance", {"x": 0.4, "a": 0.5, "s": 2.0, "m": 0.0, "v": 1.0}),
        Case("arrays_broadcast", {"x": np.array([0.5, -1.0, 2.0]), "a": 1.0, "s": 0.3,
                                  "m": np.array([0.1, -0.5, 1.0]), "v": np.array([0.5, 0.1, 2.0])})],
    "build_vae": [
        _keras("digits_seed1_latent3", {"latent_dim": 3, "hidden_units": [32], "seed": 1}),
        _keras("kl_only_collapses", {"latent_dim": 2, "hidden_units": [32], "seed": 2, "recon_weight": 0.0,
                                     "learning_rate": 1e-2})],
    "interpolate_latents": [Case("two_steps_endpoints", {"z0": np.array([1.0, 2.0, 3.0]),
                                                         "z1": np.array([-1.0, 0.0, 5.0]), "n_steps": 2}),
                            Case.drawn("eleven", draw, 51, z0=Normal(4), z1=Normal(4), n_steps=11),
                            Case("one_step_raises", {"z0": np.zeros(2), "z1": np.ones(2), "n_steps": 1})],
    "active_units": [Case.drawn("threshold_0_1", _active, 53),
                     Case("population_variance", {"mu": np.array([[0.0, 1.0], [0.2, 1.0], [0.0, 1.0]]),
                                                  "threshold": 0.01})],
    "contractive_penalty": [Case.drawn("wider", contractive_inputs, 61, n=8, d=6, m=5),
                            Case.drawn("saturated_units", contractive_inputs, 62, n=4, d=3, m=4, scale=8.0),
                            Case.drawn("one_sample", contractive_inputs, 63, n=1, d=5, m=2)],
    "stereographic": [Case.drawn("north_many", _sphere, 64, 9),
                      Case.drawn("south", _sphere, 65, 6, pole="south"),
                      Case("equator_fixed", {"p": np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0]])}),
                      Case("at_pole_raises", {"p": np.array([[0.0, 0.0, 1.0]])}),
                      Case("south_pole_point_in_north_chart", {"p": np.array([[0.0, 0.0, -1.0]])})],
    "inverse_stereographic": [Case.drawn("north_many", _plane, 66, 9, 3),
                              Case.drawn("south", draw, 67, u=Normal((6, 2)), pole="south"),
                              Case("origin_is_opposite_pole", {"u": np.zeros((1, 2)), "pole": "south"})],
}
