#!/usr/bin/python3
"""PyTorch reference trainer for Fashion-MNIST MLPs (independent accuracy check).

Mirrors the actsweep C++ configuration:
  * pixels scaled to [0,1]; the 60000 training samples are shuffled with
    numpy RandomState(seed).permutation, the first `validation` fraction is
    held out for validation, the rest is trained on;
  * normalization statistics come from the training part only;
  * Linear layers, each hidden one followed by BatchNorm1d when --norm batch
    (momentum 0.1, eps 1e-5, as actsweep) and by the activation (relu,
    leaky_relu or prelu with one slope per unit, --alpha its slope or initial
    slope); no activation on the output; He-normal weights (kaiming_normal_,
    nonlinearity='relu', as actsweep's he_normal), zero biases;
  * CrossEntropyLoss (mean), SGD(lr, momentum) or Adam(lr), a fresh shuffle
    each epoch, last partial batch kept.

Uses only the standard library, numpy and torch. Run with the Debian
interpreter: /usr/bin/python3 bench/pytorch_reference.py --help
"""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = np.frombuffer(raw, dtype=">u4", count=4, offset=0)
    if magic != 2051:
        raise ValueError(f"{path}: bad image magic {magic}")
    data = np.frombuffer(raw, dtype=np.uint8, offset=16)
    if data.size != n * rows * cols:
        raise ValueError(f"{path}: expected {n * rows * cols} pixels, got {data.size}")
    return data.reshape(int(n), int(rows) * int(cols))


def read_idx_labels(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n = np.frombuffer(raw, dtype=">u4", count=2, offset=0)
    if magic != 2049:
        raise ValueError(f"{path}: bad label magic {magic}")
    data = np.frombuffer(raw, dtype=np.uint8, offset=8)
    if data.size != n:
        raise ValueError(f"{path}: expected {n} labels, got {data.size}")
    return data.astype(np.int64)


def load(data_dir):
    def p(name):
        return os.path.join(data_dir, name)

    x_train = read_idx_images(p("train-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y_train = read_idx_labels(p("train-labels-idx1-ubyte.gz"))
    x_test = read_idx_images(p("t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255.0
    y_test = read_idx_labels(p("t10k-labels-idx1-ubyte.gz"))
    return x_train, y_train, x_test, y_test


def normalize(mode, x_tr, others):
    """Per-pixel normalization with statistics from x_tr only."""
    if mode == "none":
        return x_tr, others
    if mode == "standard":
        mean = x_tr.mean(axis=0, dtype=np.float64)
        std = x_tr.std(axis=0, dtype=np.float64)  # population std (ddof=0)
        std[std == 0] = 1.0
        shift, scale = mean, std
    elif mode == "minmax":
        lo = x_tr.min(axis=0).astype(np.float64)
        hi = x_tr.max(axis=0).astype(np.float64)
        rng = hi - lo
        rng[rng == 0] = 1.0
        shift, scale = lo, rng
    else:
        raise ValueError(mode)

    def f(x):
        return ((x - shift) / scale).astype(np.float32)

    return f(x_tr), [f(x) for x in others]


def make_activation(name, alpha, units):
    if name == "relu":
        return nn.ReLU()
    if name == "leaky_relu":
        return nn.LeakyReLU(alpha)
    if name == "prelu":
        return nn.PReLU(num_parameters=units, init=alpha)
    raise ValueError(name)


def build_model(sizes, activation="relu", alpha=0.01, norm="none"):
    layers = []
    for i in range(len(sizes) - 1):
        lin = nn.Linear(sizes[i], sizes[i + 1])
        nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")  # std sqrt(2/fan_in)
        nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2:
            if norm == "batch":
                layers.append(nn.BatchNorm1d(sizes[i + 1], momentum=0.1, eps=1e-5))
            layers.append(make_activation(activation, alpha, sizes[i + 1]))
    return nn.Sequential(*layers)


@torch.no_grad()
def accuracy(model, x, y):
    model.eval()
    pred = model(x).argmax(dim=1)
    model.train()
    return (pred == y).float().mean().item()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hidden", default="256,256", help="comma-separated hidden sizes")
    ap.add_argument("--activation", choices=["relu", "leaky_relu", "prelu"], default="relu")
    ap.add_argument("--alpha", type=float, default=0.01, help="leaky_relu slope, prelu initial slope")
    ap.add_argument("--norm", choices=["none", "batch"], default="none")
    ap.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--momentum", type=float, default=0.9, help="SGD momentum")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--normalize", choices=["standard", "none", "minmax"], default="standard")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--validation", type=float, default=0.1, help="held-out fraction")
    ap.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    ap.add_argument("--json", action="store_true",
                    help="print one JSON line at the end: mean training seconds per epoch and final accuracies")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.RandomState(args.seed)

    hidden = [int(h) for h in args.hidden.split(",") if h.strip()]
    x_all, y_all, x_test, y_test = load(args.data_dir)

    perm = rng.permutation(x_all.shape[0])
    n_val = int(round(args.validation * x_all.shape[0]))
    val_idx, tr_idx = perm[:n_val], perm[n_val:]
    x_tr, y_tr = x_all[tr_idx], y_all[tr_idx]
    x_val, y_val = x_all[val_idx], y_all[val_idx]
    x_tr, (x_val, x_test) = normalize(args.normalize, x_tr, [x_val, x_test])

    xt = torch.from_numpy(np.ascontiguousarray(x_tr))
    yt = torch.from_numpy(np.ascontiguousarray(y_tr))
    xv = torch.from_numpy(np.ascontiguousarray(x_val))
    yv = torch.from_numpy(np.ascontiguousarray(y_val))
    xs = torch.from_numpy(np.ascontiguousarray(x_test))
    ys = torch.from_numpy(np.ascontiguousarray(y_test))

    model = build_model([xt.shape[1]] + hidden + [10], args.activation, args.alpha, args.norm)
    loss_fn = nn.CrossEntropyLoss()
    if args.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    print(f"# torch {torch.__version__} numpy {np.__version__} threads {torch.get_num_threads()}")
    print(f"# hidden {hidden} activation {args.activation} alpha {args.alpha} norm {args.norm} optimizer {args.optimizer} lr {args.lr}"
          + (f" momentum {args.momentum}" if args.optimizer == "sgd" else "")
          + f" epochs {args.epochs} batch {args.batch_size} seed {args.seed}"
          f" normalize {args.normalize} train {len(tr_idx)} val {len(val_idx)} test {len(ys)}")
    print("epoch\ttrain_loss\tval_acc\ttest_acc\ttrain_s")
    sys.stdout.flush()

    n = xt.shape[0]
    bs = args.batch_size
    best_val = 0.0
    train_seconds = []
    for epoch in range(1, args.epochs + 1):
        order = torch.from_numpy(rng.permutation(n))
        model.train()
        total, batches = 0.0, 0
        t0 = time.perf_counter()
        for start in range(0, n, bs):
            idx = order[start:start + bs]
            out = model(xt[idx])
            loss = loss_fn(out, yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        train_s = time.perf_counter() - t0
        train_seconds.append(train_s)
        val_acc = accuracy(model, xv, yv)
        test_acc = accuracy(model, xs, ys)
        best_val = max(best_val, val_acc)
        print(f"{epoch}\t{total / batches:.4f}\t{val_acc:.4f}\t{test_acc:.4f}\t{train_s:.2f}")
        sys.stdout.flush()
    print(f"# final_test_acc {test_acc:.4f} best_val_acc {best_val:.4f}")
    if args.json:
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                          "train_seconds_per_epoch": sum(train_seconds) / len(train_seconds),
                          "final_test_acc": test_acc, "best_val_acc": best_val}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
