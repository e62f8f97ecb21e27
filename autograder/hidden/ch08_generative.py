"""Hidden cases of chapter 8 (the guide's checks, its errata and edge cases)."""
import numpy as np

from ..chapters.ch08_generative import (_keras, contractive_inputs, pca_codes, pca_data, pick, psd_matrix,
                                        sphere_points, vae_arrays)
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


_v = vae_arrays(11, batch=5, d=7, k=3)
_c = pca_codes(12, n=7, d=5, k=3)
_full = pca_codes(13, n=5, d=4, k=4)
_v0 = {"mu": np.zeros((3, 4)), "logvar": np.zeros((3, 4))}

# exact posterior of the linear Gaussian model: N(a x / (a^2 + s^2), s^2 / (a^2 + s^2))
_a, _s, _x = 1.3, 0.7, -0.8

CASES = {
    "pca_fit": [
        # (8.18) erratum: the minimizer gives the least-variance directions
        Case("max_variance_k1", {"X": pca_data(21, n=30, d=4), "k": 1}),
        Case("k3_of_6", {"X": pca_data(22, n=50, d=6), "k": 3}),
        Case("k_equals_d", {"X": pca_data(23, n=20, d=3), "k": 3}),
        Case("wide_n_less_than_d", {"X": pca_data(24, n=5, d=8), "k": 2}),
        # a repeated singular value inside the top-k: any basis of its space is right
        Case("repeated_eigenvalue", {"X": pca_data(25, n=30, d=5, singular_values=[6.0, 3.0, 3.0, 1.0, 0.5]),
                                     "k": 3}),
        Case("k_zero_raises", {"X": pca_data(26, n=10, d=3), "k": 0}),
        Case("k_too_large_raises", {"X": pca_data(27, n=10, d=3), "k": 4})],
    "pca_encode": [Case("k3", pick(_c, "X", "mean", "W")),
                   Case("k_equals_d", pick(_full, "X", "mean", "W"))],
    "pca_decode": [Case("k3", pick(_c, "Z", "mean", "W")),
                   Case("k_equals_d", pick(_full, "Z", "mean", "W"))],
    "power_iteration": [
        Case("five_dims", {"C": psd_matrix(31, [3.0, 2.5, 1.0, 0.4, 0.1]), "n_iter": 400, "rng_seed": 1}),
        Case("scatter_matrix_default_args", {"C": (lambda X: (X - X.mean(0)).T @ (X - X.mean(0)))(
            pca_data(32, n=30, d=4))}),
        # a start vector with a large component along the smallest eigenvector
        Case("diagonal", {"C": np.diag([0.5, 4.0, 1.0]), "n_iter": 300, "rng_seed": 2})],
    "build_autoencoder": [
        _keras("deep_shapes", {"input_dim": 9, "latent_dim": 3, "hidden_units": [16, 8], "seed": 1}),
        _keras("default_hidden_shapes", {"input_dim": 5, "latent_dim": 2, "hidden_units": None, "seed": 2}),
        _keras("linear_vs_pca_seed3", {"input_dim": 6, "latent_dim": 2, "hidden_units": [], "seed": 3,
                                       "train": True})],
    "kl_standard_normal": [Case("batch_k3", pick(_v, "mu", "logvar")),
                           Case("zero_at_prior", _v0),
                           Case("unit_mean_only", {"mu": np.ones((2, 3)), "logvar": np.zeros((2, 3))}),
                           Case("variance_only", {"mu": np.zeros((2, 2)), "logvar": np.log([[4.0, 0.25],
                                                                                            [1.0, 9.0]])})],
    "reparameterize": [Case("batch_k3", pick(_v, "mu", "logvar", "eps")),
                       Case("sigma_is_std", {"mu": np.zeros(3), "logvar": np.log([4.0, 9.0, 0.25]),
                                             "eps": np.ones(3)})],
    "vae_loss": [Case("batch_k3", pick(_v, "x", "x_logits", "mu", "logvar")),
                 Case("beta_4", {**pick(_v, "x", "x_logits", "mu", "logvar"), "beta": 4.0}),
                 Case("binary_targets_large_logits", {
                     "x": (_rng(41).uniform(size=(3, 10)) > 0.5).astype(float),
                     "x_logits": 40 * _rng(42).standard_normal((3, 10)),
                     "mu": _rng(43).standard_normal((3, 2)), "logvar": np.zeros((3, 2))})],
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
                            Case("eleven", {"z0": _rng(51).standard_normal(4), "z1": _rng(52).standard_normal(4),
                                            "n_steps": 11}),
                            Case("one_step_raises", {"z0": np.zeros(2), "z1": np.ones(2), "n_steps": 1})],
    "active_units": [Case("threshold_0_1", {"mu": _rng(53).standard_normal((40, 4)) * [0.2, 0.5, 1.0, 0.01],
                                            "threshold": 0.1}),
                     Case("population_variance", {"mu": np.array([[0.0, 1.0], [0.2, 1.0], [0.0, 1.0]]),
                                                  "threshold": 0.01})],
    "contractive_penalty": [Case("wider", contractive_inputs(61, n=8, d=6, m=5)),
                            Case("saturated_units", contractive_inputs(62, n=4, d=3, m=4, scale=8.0)),
                            Case("one_sample", contractive_inputs(63, n=1, d=5, m=2))],
    "stereographic": [Case("north_many", {"p": sphere_points(64, 9)}),
                      Case("south", {"p": sphere_points(65, 6), "pole": "south"}),
                      Case("equator_fixed", {"p": np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 0.0]])}),
                      Case("at_pole_raises", {"p": np.array([[0.0, 0.0, 1.0]])}),
                      Case("south_pole_point_in_north_chart", {"p": np.array([[0.0, 0.0, -1.0]])})],
    "inverse_stereographic": [Case("north_many", {"u": _rng(66).standard_normal((9, 2)) * 3}),
                              Case("south", {"u": _rng(67).standard_normal((6, 2)), "pole": "south"}),
                              Case("origin_is_opposite_pole", {"u": np.zeros((1, 2)), "pole": "south"})],
}
