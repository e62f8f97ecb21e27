"""Chapter 9's mutation table: each plausible bug loses exactly its cases (see tests/mutants.py)."""
from mutants import Mutant, MutantTable

CHAPTER = "ch09_geometric"

_NORM = "inv_sqrt[:, None] * W * inv_sqrt[None, :]"
_MEAN = "agg[pos] = (A[pos] @ M) / deg[pos, None]"
_UNKNOWN = '    else:\n        raise ValueError(f"unknown aggregate {aggregate!r}")'

_MV_FORWARD = ("features = self.view_network(ops.reshape(views, (-1,) + image))\n"
               "        features = ops.reshape(features, (-1, n_views) + tuple(features.shape[1:]))")
_MV_POOL = ("features = ops.reshape(features, (-1, n_views) + tuple(features.shape[1:]))\n"
            "        return ops.max(features, axis=1)")
_MONET_W_ALL = {"polar_full_covariance", "diagonal_three_dims", "one_dim_flat_list"}
_MONET_W_BODY = ("flat = D.reshape(-1, D.shape[-1])\n    solved = np.linalg.solve(sigma, flat.T).T\n"
                 "    return np.exp(-0.5 * np.sum(flat * solved, axis=1)).reshape(D.shape[:-1])")
_MONET_C_ALL = {"polar_three_gaussians", "self_loops_isolated_directed", "one_gaussian_1d"}
# several points share a voxel in these clouds
_VOXEL_COUNTS = {"cloud_with_outside_points", "per_axis_bounds", "duplicates_count_once"}

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
    # --- voxelize ---
    "voxel_upper_bound_exclusive": Mutant(
        "voxelize", "(pts >= lo) & (pts <= hi)", "(pts >= lo) & (pts < hi)",
        {"points_on_bounds_and_cell_boundaries"}),
    "voxel_outside_points_kept": Mutant(
        "voxelize", "inside = np.all((pts >= lo) & (pts <= hi), axis=1)",
        "inside = np.ones(len(pts), dtype=bool)",
        {"cloud_with_outside_points", "points_on_bounds_and_cell_boundaries", "all_points_outside"}),
    "voxel_counts_points": Mutant(
        "voxelize", "volume[idx[:, 0], idx[:, 1], idx[:, 2]] = 1.0",
        "np.add.at(volume, (idx[:, 0], idx[:, 1], idx[:, 2]), 1.0)", _VOXEL_COUNTS),
    "voxel_axes_reversed_zyx": Mutant(
        "voxelize", "volume[idx[:, 0], idx[:, 1], idx[:, 2]] = 1.0",
        "volume[idx[:, 2], idx[:, 1], idx[:, 0]] = 1.0",
        {"cloud_with_outside_points", "points_on_bounds_and_cell_boundaries", "per_axis_bounds",
         "duplicates_count_once"}),
    "voxel_x_bounds_for_every_axis": Mutant(
        "voxelize", "(pts[inside] - lo) / ((hi - lo) / n)", "(pts[inside] - lo[0]) / ((hi[0] - lo[0]) / n)",
        {"per_axis_bounds"}),
    # --- conv3d ---
    "conv3d_true_convolution_flips_kernel": Mutant(
        "conv3d", "out += patch @ kernel[a, b, c]", "out += patch @ kernel[-1 - a, -1 - b, -1 - c]",
        {"anisotropic_kernel_channels", "stride2_not_dividing", "per_axis_strides", "kernel_fills_volume"}),
    "conv3d_channel_matrix_transposed": Mutant(
        "conv3d", "out += patch @ kernel[a, b, c]", "out += patch @ kernel[a, b, c].T",
        {"anisotropic_kernel_channels", "stride2_not_dividing", "pointwise_1x1x1", "kernel_fills_volume"}),
    "conv3d_output_size_rounded_up": Mutant(
        "conv3d", "size = [(d - k) // s + 1", "size = [-(-(d - k) // s) + 1",
        {"stride2_not_dividing", "per_axis_strides"}),
    "conv3d_first_stride_on_every_axis": Mutant(
        "conv3d", "else tuple(int(t) for t in stride)", "else (int(stride[0]),) * 3", {"per_axis_strides"}),
    "conv3d_no_size_check": Mutant(
        "conv3d", "    if any(k > d for k, d in zip(kernel.shape[:3], volume.shape[:3])):\n        raise",
        "    if False:\n        raise", {"kernel_larger_than_volume_raises"}),
    # --- MultiViewCNN ---
    "multiview_mean_pooling": Mutant(
        "MultiViewCNN", "return ops.max(features, axis=1)", "return ops.mean(features, axis=1)",
        {"permuted_views_same_output", "feature_maps", "one_object_five_views"}),
    "multiview_keeps_view_axis": Mutant(
        "MultiViewCNN", "return ops.max(features, axis=1)", "return ops.max(features, axis=1, keepdims=True)",
        {"permuted_views_same_output", "one_view", "feature_maps", "one_object_five_views"}),
    "multiview_python_loop_over_views": Mutant(
        "MultiViewCNN", _MV_FORWARD,
        "features = ops.stack([self.view_network(views[:, v]) for v in range(n_views)], axis=1)",
        {"permuted_views_same_output", "feature_maps", "one_object_five_views"}),
    "multiview_views_and_objects_swapped": Mutant(
        "MultiViewCNN", _MV_POOL,
        "features = ops.reshape(features, (n_views, -1) + tuple(features.shape[1:]))\n"
        "        return ops.max(features, axis=0)",
        {"permuted_views_same_output", "feature_maps"}),
    "multiview_flattens_feature_maps": Mutant(
        "MultiViewCNN", "(-1, n_views) + tuple(features.shape[1:])",
        "(-1, n_views, int(np.prod(features.shape[1:])))", {"feature_maps"}),
    # --- monet_weights ---
    "monet_weights_notes_9_38_without_half": Mutant(
        "monet_weights", "np.exp(-0.5 * np.sum(flat * solved", "np.exp(-np.sum(flat * solved", _MONET_W_ALL),
    "monet_weights_covariance_not_inverted": Mutant(
        "monet_weights", "solved = np.linalg.solve(sigma, flat.T).T", "solved = flat @ sigma", _MONET_W_ALL),
    "monet_weights_ignores_mean": Mutant(
        "monet_weights", "D = np.asarray(U, dtype=float) - np.asarray(mu, dtype=float)",
        "D = np.asarray(U, dtype=float)", _MONET_W_ALL),
    "monet_weights_diagonal_of_sigma_only": Mutant(
        "monet_weights", "solved = np.linalg.solve(sigma, flat.T).T", "solved = flat / np.diag(sigma)",
        {"polar_full_covariance"}),
    "monet_weights_assumes_n_n_p": Mutant(
        "monet_weights", _MONET_W_BODY,
        'return np.exp(-0.5 * np.einsum("ijp,pq,ijq->ij", D, np.linalg.inv(sigma), D))',
        {"one_dim_flat_list"}),
    # --- monet_conv ---
    "monet_conv_notes_9_41_indexes_features": Mutant(
        "monet_conv", 'np.einsum("kid,kd->i", patches, g)', 'np.einsum("kid,kd->d", patches, g)',
        _MONET_C_ALL),
    "monet_conv_sums_over_all_nodes": Mutant(
        "monet_conv", "weights = mask * np.exp(", "weights = np.exp(", _MONET_C_ALL),
    "monet_conv_coordinates_of_i_seen_from_j": Mutant(
        "monet_conv", "D = U[None] - mu", "D = np.swapaxes(U, 0, 1)[None] - mu", _MONET_C_ALL),
    "monet_conv_patch_averaged": Mutant(
        "monet_conv", "patches = weights @ f",
        "patches = (weights @ f) / weights.sum(axis=-1, keepdims=True)", _MONET_C_ALL),
    "monet_conv_drops_self_loops": Mutant(
        "monet_conv", "mask = (np.asarray(A) != 0).astype(float)",
        "mask = (np.asarray(A) != 0).astype(float) * (1 - np.eye(len(A)))", {"self_loops_isolated_directed"}),
})

test_mutant_loses_exactly_its_cases, test_every_hidden_case_is_caught = TABLE.tests()
