"""Chapter 9's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "ch09_geometric"

_NORM = "inv_sqrt[:, None] * W * inv_sqrt[None, :]"
_MEAN = "agg[pos] = (A[pos] @ M) / deg[pos, None]"
_UNKNOWN = '    else:\n        raise ValueError(f"unknown aggregate {aggregate!r}")'

TABLE = MutantTable(CHAPTER, {
    # --- graph_laplacian ---
    "laplacian_D_plus_W_sign": Mutant(
        "graph_laplacian", "return np.diag(deg) - W", "return np.diag(deg) + W", {"weighted_combinatorial"}),
    "normalized_random_walk_not_symmetric": Mutant(
        "graph_laplacian", _NORM, "inv_sqrt[:, None] ** 2 * W",
        {"weighted_normalized", "isolated_node_normalized"}),
    "normalized_isolated_node_gets_one_on_diagonal": Mutant(
        "graph_laplacian", "np.diag(pos.astype(float))", "np.eye(len(deg))", {"isolated_node_normalized"}),
    # --- laplacian_eigenbasis ---
    "eigenbasis_keeps_largest_k": Mutant(
        "laplacian_eigenbasis", "lam, Phi = lam[:k], Phi[:, :k]", "lam, Phi = lam[-k:], Phi[:, -k:]",
        {"ring_k3_at_gap", "weighted_k4"}),
    "eigenvectors_as_rows": Mutant(
        "laplacian_eigenbasis", "    return lam, Phi\n", "    return lam, Phi.T\n",
        {"ring_degenerate_all", "ring_k3_at_gap", "weighted_k4"}),
    # --- Fourier ---
    "fourier_forgets_transpose": Mutant(
        "graph_fourier", "np.asarray(Phi, dtype=float).T @ np.asarray(f, dtype=float)",
        "np.asarray(Phi, dtype=float) @ np.asarray(f, dtype=float)", {"channels", "truncated_basis"}),
    "inverse_fourier_transposes": Mutant(
        "inverse_graph_fourier", "np.asarray(Phi, dtype=float) @ np.asarray(fhat, dtype=float)",
        "np.asarray(Phi, dtype=float).T @ np.asarray(fhat, dtype=float)", {"channels"}),
    # --- spectral_conv ---
    "spectral_conv_synthesis_with_Phi_T": Mutant(
        "spectral_conv", "return Phi @ coeff", "return Phi.T @ coeff",
        {"ring_tau", "channels_arbitrary_ghat"}),
    "spectral_conv_ghat_broadcast_over_channels": Mutant(
        "spectral_conv", "(ghat if coeff.ndim == 1 else ghat[:, None])", "ghat",
        {"channels_arbitrary_ghat"}),
    # --- smooth_spectral_conv ---
    "smooth_basis_transposed": Mutant(
        "smooth_spectral_conv", "np.asarray(B, dtype=float) @ np.asarray(alpha, dtype=float)",
        "np.asarray(B, dtype=float).T @ np.asarray(alpha, dtype=float)", {"ten_gaussians_channels"}),
    # --- cheb_conv ---
    "cheb_no_rescaling_of_L": Mutant(
        "cheb_conv", "Lt = 2.0 * L / float(lam_max) - np.eye(L.shape[0])", "Lt = L",
        {"order5_channels", "lam_max_2_normalized"}),
    "cheb_theta0_halved": Mutant(
        "cheb_conv", "y = theta[0] * t_prev", "y = 0.5 * theta[0] * t_prev",
        {"order1_is_scaling", "order5_channels", "lam_max_2_normalized"}),
    "cheb_recurrence_without_factor_2": Mutant(
        "cheb_conv", "2.0 * (Lt @ t_cur) - t_prev", "Lt @ t_cur - t_prev",
        {"order5_channels", "lam_max_2_normalized"}),
    # --- GCNLayer ---
    "gcn_no_self_loops": Mutant(
        "GCNLayer", "A_tilde = A + ops.eye(ops.shape(A)[0], dtype=self.compute_dtype)", "A_tilde = A",
        {"weighted_relu", "isolated_node"}),
    "gcn_row_normalization": Mutant(
        "GCNLayer", "A_tilde * ops.expand_dims(s, 1) * ops.expand_dims(s, 0)",
        "A_tilde * ops.expand_dims(s * s, 1)", {"weighted_relu", "isolated_node"}),
    # --- message_passing ---
    "mean_counts_neighbours_ignoring_weights": Mutant(
        "message_passing", _MEAN, "agg[pos] = (A[pos] @ M) / (A[pos] != 0).sum(axis=1)[:, None]",
        {"mean_weighted_isolated"}),
    "mean_isolated_node_nan": Mutant(
        "message_passing", "pos = deg != 0", "pos = deg == deg", {"mean_weighted_isolated"}),
    "max_transform_after_aggregation": Mutant(
        "message_passing", "agg[i] = M[nb].max(axis=0)",
        "agg[i] = H[nb].max(axis=0) @ np.asarray(W_neigh, dtype=float)", {"max_isolated", "max_unweighted"}),
    "max_isolated_node_minus_inf": Mutant(
        "message_passing", "agg = np.zeros((A.shape[0], M.shape[1]))\n        for i",
        "agg = np.full((A.shape[0], M.shape[1]), -np.inf)\n        for i", {"max_isolated"}),
    "sum_ignores_weights": Mutant(
        "message_passing", "agg = A @ M", "agg = (A != 0) @ M", {"sum_weighted"}),
    "unknown_aggregate_falls_back_to_sum": Mutant(
        "message_passing", _UNKNOWN, "    else:\n        agg = A @ M", {"unknown_aggregate_raises"}),
    # --- euler_characteristic ---
    "euler_counts_vertices_referenced_by_faces": Mutant(
        "euler_characteristic", "len(np.asarray(vertices))", "len(np.unique(faces))",
        {"two_tetrahedra_and_a_loose_vertex_is_5"}),
    "euler_counts_every_face_edge": Mutant(
        "euler_characteristic", "edges.add((min(u, v), max(u, v)))", "edges.add((len(edges), 0))",
        {"torus_is_0", "two_tetrahedra_and_a_loose_vertex_is_5"}),
    "euler_sign_swapped": Mutant(
        "euler_characteristic", "- len(edges) + len(faces)", "+ len(edges) - len(faces)",
        {"torus_is_0", "one_triangle_is_1", "two_tetrahedra_and_a_loose_vertex_is_5"}),
})

test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
