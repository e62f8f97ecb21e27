"""Architecture diagrams read off built Keras models (Figs 2.1, 6.1, 6.14, 6.17, 6.18, 7.14, 7.15).

Nothing here places boxes by hand: ``dense_graph`` reads the units and kernels of a model's ``Dense``
layers, ``layer_table`` the output shape and parameter count of every layer, and the two draw
functions turn those records into matplotlib artists. Keras is imported by the functions that need it.
"""
import numpy as np


def dense_graph(model):
    """The graph of an MLP: layer sizes, kernels and parameter counts of its ``Dense`` layers.

    Args:
        model: a built Keras model whose weighted layers are ``Dense`` (``Dropout``, ``Activation``
            and the like are skipped).

    Returns:
        dict with ``sizes`` (``[d_in, units_1, ..., units_L]``), ``kernels`` (list of ``(in, out)``
        arrays, one edge per entry), ``names`` and ``params`` (weights of each Dense layer, bias
        included).
    """
    import keras

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    kernels = [keras.ops.convert_to_numpy(layer.kernel) for layer in dense]
    return {"sizes": [kernels[0].shape[0]] + [k.shape[1] for k in kernels], "kernels": kernels,
            "names": [layer.name for layer in dense], "params": [layer.count_params() for layer in dense]}


def layer_table(model):
    """One record per layer of a built ``keras.Model``: what a block diagram of it shows.

    Returns:
        list of dicts with ``name``, ``kind`` (class name), ``shape`` (output shape without the batch
        axis), ``params`` and, for convolutions and pooling, ``kernel`` and ``stride`` (first axis).
        The input comes first, as ``kind="Input"``.
    """
    rows = [{"name": "input", "kind": "Input", "shape": tuple(model.inputs[0].shape[1:]), "params": 0}]
    for layer in model.layers:
        config = layer.get_config()
        row = {"name": layer.name, "kind": type(layer).__name__, "shape": tuple(layer.output.shape[1:]),
               "params": layer.count_params()}
        size = config.get("kernel_size") or config.get("pool_size")
        if size is not None:
            row["kernel"] = size[0] if isinstance(size, (tuple, list)) else size
            strides = config.get("strides") or size
            row["stride"] = strides[0] if isinstance(strides, (tuple, list)) else strides
        rows.append(row)
    return rows


def draw_dense_graph(ax, sizes, kernels=None, kept=None, title=None, labels=None, max_width=3.0):
    """Draw an MLP as columns of units joined by one segment per weight.

    Args:
        ax: matplotlib axes.
        sizes: units per layer, input first (``dense_graph(model)["sizes"]``).
        kernels: optional ``(in, out)`` arrays; an edge's width grows with ``|w|``, its colour shows
            the sign (red > 0, blue < 0). Without kernels every edge is grey.
        kept: optional list of boolean arrays (one per layer, ``None`` for a layer without dropout):
            a dropped unit is drawn hollow with a cross and loses all its edges (Fig 7.14).
        labels: optional text under each column.
    """
    height = max(sizes)
    positions = [np.column_stack([np.full(n, float(k)), (np.arange(n) - (n - 1) / 2) / max(height - 1, 1)])
                 for k, n in enumerate(sizes)]
    kept = kept or [None] * len(sizes)
    alive = [np.ones(n, bool) if mask is None else np.asarray(mask, bool) for n, mask in zip(sizes, kept)]
    scale = max((np.abs(k).max() for k in kernels), default=1.0) if kernels is not None else 1.0
    for k in range(len(sizes) - 1):
        for i in range(sizes[k]):
            for j in range(sizes[k + 1]):
                if not (alive[k][i] and alive[k + 1][j]):
                    continue
                (x0, y0), (x1, y1) = positions[k][i], positions[k + 1][j]
                if kernels is None:
                    ax.plot([x0, x1], [y0, y1], color="0.6", lw=0.6, zorder=1)
                else:
                    w = kernels[k][i, j]
                    ax.plot([x0, x1], [y0, y1], color="C3" if w > 0 else "C0",
                            lw=0.2 + max_width * abs(w) / scale, alpha=0.8, zorder=1)
    for k, (points, mask) in enumerate(zip(positions, alive)):
        ax.scatter(points[mask, 0], points[mask, 1], s=120, c="w", edgecolors="k", zorder=2)
        if (~mask).any():
            ax.scatter(points[~mask, 0], points[~mask, 1], s=120, c="w", edgecolors="0.7", zorder=2)
            ax.scatter(points[~mask, 0], points[~mask, 1], s=80, c="0.5", marker="x", zorder=3)
        if labels is not None:
            ax.text(k, -0.62, labels[k], ha="center", va="top", fontsize=8)
    ax.set(xlim=(-0.4, len(sizes) - 0.6), ylim=(-0.75, 0.6), xticks=[], yticks=[])
    ax.set_frame_on(False)
    if title:
        ax.set_title(title, fontsize=10)


def draw_layer_stack(ax, table, title=None):
    """Draw a layer table as a row of slabs: height ~ the spatial side, depth ~ log2 of the channels.

    A feature map ``(H, W, C)`` is a parallelogram whose height grows with ``H`` and whose oblique
    depth grows with ``C``; a vector (``Flatten``, ``Dense``) is a thin bar whose height grows with its
    length. Labels give the layer kind, kernel/stride and output shape read from ``table``.
    """
    from matplotlib.patches import Polygon

    biggest = max((row["shape"][0] for row in table if len(row["shape"]) == 3), default=1)
    longest = max((row["shape"][0] for row in table if len(row["shape"]) == 1), default=1)
    x = 0.0
    for number, row in enumerate(table):
        shape = row["shape"]
        colour = {"Input": "0.85", "Conv2D": "C0", "MaxPooling2D": "C1", "AveragePooling2D": "C1",
                  "Flatten": "C2", "Dense": "C3", "Dropout": "C4"}.get(row["kind"], "C7")
        if len(shape) == 3:
            h = 0.4 + 1.6 * shape[0] / biggest
            depth = 0.15 * (1 + np.log2(shape[2]))
            front = [(x, -h / 2), (x + 0.12, -h / 2), (x + 0.12, h / 2), (x, h / 2)]
            top = [(x, h / 2), (x + 0.12, h / 2), (x + 0.12 + depth, h / 2 + depth), (x + depth, h / 2 + depth)]
            side = [(x + 0.12, -h / 2), (x + 0.12 + depth, -h / 2 + depth), (x + 0.12 + depth, h / 2 + depth),
                    (x + 0.12, h / 2)]
            for patch in (front, top, side):
                ax.add_patch(Polygon(patch, closed=True, facecolor=colour, edgecolor="k", alpha=0.75, lw=0.7))
            text = "x".join(str(s) for s in shape)
            width = 0.12 + depth
        else:
            h = 0.3 + 1.7 * np.sqrt(shape[0] / longest)
            ax.add_patch(Polygon([(x, -h / 2), (x + 0.12, -h / 2), (x + 0.12, h / 2), (x, h / 2)],
                                 closed=True, facecolor=colour, edgecolor="k", alpha=0.75, lw=0.7))
            text = str(shape[0])
            width = 0.12
        kind = row["kind"].replace("Pooling2D", "Pool").replace("2D", "")
        if "kernel" in row:
            kind += f"\n{row['kernel']}x{row['kernel']}/{row['stride']}"
        ax.text(x + width / 2, -1.25 - 0.28 * (number % 2), f"{kind}\n{text}", ha="center", va="top",
                fontsize=7)
        x += width + 0.45
    ax.set(xlim=(-0.2, x), ylim=(-2.1, 1.9), xticks=[], yticks=[], aspect="equal")
    ax.set_frame_on(False)
    if title:
        ax.set_title(title, fontsize=10)
