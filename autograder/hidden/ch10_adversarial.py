"""Hidden cases of chapter 10."""
import numpy as np

from ..chapters.ch10_adversarial import TF_TIMEOUT, attack_case, gan_case, pmf, targeted_case
from ..spec import Case


def _rng(seed):
    return np.random.default_rng(seed)


def _pair(seed, n, names=("p_d", "p_g"), same=False, swap=False, zeros=()):
    """Two pmfs on ``n`` points (seeds ``seed``, ``seed + 1``; the second zero at ``zeros``)."""
    first, second = pmf(seed, n), (pmf(seed, n) if same else pmf(seed + 1, n, zeros=zeros))
    if swap:
        first, second = second, first
    return dict(zip(names, (first, second)))


def _density_grid(seed):
    return {"p_d": _rng(seed).uniform(0, 2, (3, 4)), "p_g": _rng(seed + 1).uniform(0, 2, (3, 4))}


def _given_D(seed):
    return {**_pair(seed, 5), "D": _rng(seed + 2).uniform(0.1, 0.9, 5)}


def _logit_calls(seed, sizes, shift=0.0):
    """One call of a GAN loss on standard normal logits (seeds ``seed``, ``seed + 1``, ...), the
    fake ones lowered by ``shift``."""
    call = {}
    for k, (name, shape) in enumerate(sizes.items()):
        call[name] = _rng(seed + k).standard_normal(shape) - (shift if name == "fake_logits" else 0.0)
    return {"calls": [call]}


def _saturating(seed):
    return {"calls": [{"fake_logits": np.zeros(4), "saturating": True},
                      {"fake_logits": _rng(seed).standard_normal(5), "saturating": True}]}


def _margin_batch(seed):
    return {"logits": _rng(seed).standard_normal((6, 5)) * 3, "target": _rng(seed + 1).integers(0, 5, 6)}


def _linear_batch(seed):
    return {"w": _rng(seed).standard_normal(5), "b": -0.7, "x": _rng(seed + 1).standard_normal((4, 5))}


_P, _Q = pmf(20, 7), pmf(21, 7, zeros=(2, 5))
_DISJOINT_P = np.array([0.5, 0.5, 0.0, 0.0])
_DISJOINT_Q = np.array([0.0, 0.0, 0.25, 0.75])

CASES = {
    "optimal_discriminator": [
        Case.drawn("pmfs", _pair, 22, 6),
        Case("both_zero_is_half", {"p_d": np.array([0.5, 0.0, 0.5]), "p_g": np.array([0.25, 0.0, 0.75])}),
        Case("disjoint_supports", {"p_d": _DISJOINT_P, "p_g": _DISJOINT_Q}),
        Case.drawn("density_grid_2d", _density_grid, 24),
    ],
    "js_divergence": [
        Case.drawn("pmfs", _pair, 20, 7, ("p", "q"), zeros=(2, 5)),
        Case.drawn("symmetric_swapped", _pair, 20, 7, ("p", "q"), swap=True, zeros=(2, 5)),
        Case("disjoint_is_log2", {"p": _DISJOINT_P, "q": _DISJOINT_Q}),
        Case.drawn("equal_is_zero", _pair, 26, 5, ("p", "q"), same=True),
        Case("not_normalized_raises", {"p": np.array([0.5, 0.6]), "q": np.array([0.5, 0.5])}),
        Case("negative_raises", {"p": np.array([1.2, -0.2]), "q": np.array([0.5, 0.5])}),
    ],
    "gan_value": [
        Case.drawn("optimal_D", _pair, 20, 7, zeros=(2, 5)),
        Case.drawn("equal_pmfs_minus_log4", _pair, 29, 6, same=True),
        Case.drawn("given_D", _given_D, 30),
        Case("given_D_zero_where_no_mass", {"p_d": np.array([0.0, 0.5, 0.5]), "p_g": np.array([0.5, 0.5, 0.0]),
                                            "D": np.array([0.0, 0.3, 1.0])}),
        Case("disjoint_optimal_is_zero", {"p_d": _DISJOINT_P, "p_g": _DISJOINT_Q}),
    ],
    "discriminator_loss": [
        Case.drawn("different_batch_sizes", _logit_calls, 33, {"real_logits": 7, "fake_logits": 3}),
        Case.drawn("column_logits", _logit_calls, 35, {"real_logits": (5, 1), "fake_logits": (5, 1)},
                   shift=1.0),
        Case("large_logits_stable", {"calls": [
            {"real_logits": np.array([100.0, 50.0, -80.0]), "fake_logits": np.array([-100.0, 90.0])}]}),
    ],
    "generator_loss": [
        Case.drawn("non_saturating", _logit_calls, 37, {"fake_logits": 6}, shift=1.0),
        Case.drawn("saturating", _saturating, 38),
        Case("large_logits_stable", {"calls": [{"fake_logits": np.array([-800.0, 80.0])},
                                               {"fake_logits": np.array([-800.0, 80.0]), "saturating": True}]}),
    ],
    "gan_train_step": [
        Case("one_sgd_step", gan_case(40, x_dim=3, z_dim=2, n=8, m=6, g_lr=0.2, d_lr=0.05), timeout=TF_TIMEOUT),
        Case("d_step_leaves_G_untouched", gan_case(41, g_lr=0.0, d_lr=0.5), timeout=TF_TIMEOUT),
        Case("g_step_leaves_D_untouched", gan_case(42, g_lr=0.5, d_lr=0.0), timeout=TF_TIMEOUT),
    ],
    "fgsm": [
        Case("linear_softmax", attack_case(43, [6, 4], n=5, eps=0.2, linear=True), timeout=TF_TIMEOUT),
        Case("binary_logistic", attack_case(44, [5, 1], n=6, eps=0.15, linear=True), timeout=TF_TIMEOUT),
        Case("mlp", attack_case(45, [5, 7, 3], eps=0.05), timeout=TF_TIMEOUT),
        Case("wider_box", attack_case(47, [4, 3], eps=0.3, linear=True, clip_min=-0.1, clip_max=1.2),
             timeout=TF_TIMEOUT),
    ],
    "pgd": [
        Case("mlp_20_steps", attack_case(48, [5, 6, 3], eps=0.15, alpha=0.03, steps=20), timeout=TF_TIMEOUT),
        Case("binary_logistic_equals_fgsm", attack_case(49, [6, 1], n=5, eps=0.3, alpha=0.1, steps=4),
             timeout=TF_TIMEOUT),
        Case("random_start_reproducible", attack_case(50, [5, 6, 3], eps=0.1, alpha=0.01, steps=2,
                                                      random_start=True, rng_seed=7), timeout=TF_TIMEOUT),
        Case("random_start_binary_equals_fgsm", attack_case(51, [5, 1], eps=0.2, alpha=0.1, steps=5,
                                                            random_start=True, rng_seed=8), timeout=TF_TIMEOUT),
        Case("zero_steps_is_identity", attack_case(52, [4, 3], eps=0.1, alpha=0.05, steps=0), timeout=TF_TIMEOUT),
    ],
    "cw_margin": [
        Case.drawn("random_batch", _margin_batch, 53),
        Case("target_wins_is_zero", {"logits": np.array([[0.0, 4.0, 1.0], [5.0, -1.0, 2.0]]),
                                     "target": np.array([1, 0])}),
        Case("kappa_floor", {"logits": np.array([[0.0, 4.0, 1.0], [5.0, -1.0, 2.0], [1.0, 2.0, 3.0]]),
                             "target": np.array([1, 0, 0]), "kappa": 2.0}),
        Case("single_sample_scalar_target", {"logits": np.array([1.0, 7.0, 3.0, -2.0]), "target": 2}),
        Case("confident_logits_not_probabilities", {"logits": np.array([[20.0, 0.0, -5.0], [0.0, 30.0, 1.0]]),
                                                    "target": np.array([2, 0])}),
    ],
    "targeted_attack": [
        Case("mlp", targeted_case(55, sizes=(5, 7, 3), n=4, c=3.0, steps=25, lr=0.05), timeout=TF_TIMEOUT),
        Case("large_c_reaches_target", targeted_case(56, sizes=(4, 3), n=3, c=100.0, steps=40, lr=0.01,
                                                     must_reach=True), timeout=TF_TIMEOUT),
        Case("box_binds", targeted_case(57, sizes=(6, 8, 4), n=3, c=50.0, steps=20, lr=0.2), timeout=TF_TIMEOUT),
        Case("zero_steps_is_identity", targeted_case(58, steps=0), timeout=TF_TIMEOUT),
        Case("scalar_target", targeted_case(59, sizes=(5, 6, 3), n=2, c=10.0, steps=30, lr=0.03, target=1),
             timeout=TF_TIMEOUT),
    ],
    "universal_perturbation": [
        Case("mlp", attack_case(62, [6, 8, 4], n=10, eps=0.15, alpha=0.03, steps=10), timeout=TF_TIMEOUT),
        Case("binary_logistic", attack_case(63, [5, 1], n=12, eps=0.2, alpha=0.05, steps=6), timeout=TF_TIMEOUT),
        Case("zero_steps_is_zero", attack_case(64, [4, 3], eps=0.1, alpha=0.05, steps=0), timeout=TF_TIMEOUT),
    ],
    "linear_min_perturbation": [
        Case.drawn("batch", _linear_batch, 60),
        Case("single_point", {"w": np.array([3.0, 4.0]), "b": 1.0, "x": np.array([1.0, 2.0])}),
    ],
}
