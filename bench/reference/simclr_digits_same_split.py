#!/usr/bin/python3
"""Probe Pretext's SimCLR digits encoder with the PyTorch SimCLR digits reference's own split,
label subsets and scikit-learn probe, so that the two encoders are compared on identical rows
rather than on two samplers' splits.

  split --seed S --out DIR   write DIR/train.csv and DIR/test.csv: sklearn's digits, split 80/20
                             stratified with random_state=S exactly as the reference splits them
                             (64 grey levels 0..16 then the label, the layout of digits.csv.gz)
  probe --seed S --dir DIR   read DIR/<name>-train.npy and DIR/<name>-test.npy (written by
                             `pretext embed`) for each --features name, and print the reference's
                             table: sklearn LogisticRegression(max_iter=5000) on features
                             standardized on the labeled subset, label subsets drawn by the
                             reference's label_subsets (random_state = S + 1000 + r)

Run with Debian's /usr/bin/python3 (python3-sklearn); bench/README.md has the whole procedure.
"""
import argparse
import os

import numpy as np
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def reference_split(seed):
    d = datasets.load_digits()
    X, y = d.data.astype(np.float32) / 16.0, d.target.astype(np.int64)
    return train_test_split(X, y, test_size=0.2, stratify=y, random_state=seed)


def label_subsets(y_tr, frac, repeats, seed):
    # identical to the reference's label_subsets
    if frac >= 1.0:
        return [np.arange(len(y_tr))]
    n_cls = len(np.unique(y_tr))
    out = []
    for r in range(repeats):
        n_lab = max(int(round(frac * len(y_tr))), n_cls)
        idx, _ = train_test_split(np.arange(len(y_tr)), train_size=n_lab, stratify=y_tr,
                                  random_state=seed + 1000 + r)
        out.append(np.sort(idx))
    return out


def probe(f_tr, y_tr, f_te, y_te, idx):
    # identical to the reference's probe
    sc = StandardScaler().fit(f_tr[idx])
    clf = LogisticRegression(max_iter=5000)
    clf.fit(sc.transform(f_tr[idx]), y_tr[idx])
    return clf.score(sc.transform(f_te), y_te)


def write_split(args):
    X_tr, X_te, y_tr, y_te = reference_split(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for name, X, y in (("train", X_tr, y_tr), ("test", X_te, y_te)):
        grey = np.rint(X * 16.0).astype(np.int64)
        rows = np.concatenate([grey, y[:, None]], axis=1)
        np.savetxt(os.path.join(args.out, name + ".csv"), rows, fmt="%d", delimiter=",")
    print(f"wrote {len(y_tr)} training and {len(y_te)} test rows to {args.out}")


def print_table(args):
    X_tr, X_te, y_tr, y_te = reference_split(args.seed)
    columns = [("raw pixels", X_tr, X_te)]
    for name in args.features.split(","):
        f_tr = np.load(os.path.join(args.dir, name + "-train.npy"))
        f_te = np.load(os.path.join(args.dir, name + "-test.npy"))
        if f_tr.shape[0] != len(y_tr) or f_te.shape[0] != len(y_te):
            raise SystemExit(f"{name}: {f_tr.shape[0]} / {f_te.shape[0]} rows, the split has "
                             f"{len(y_tr)} / {len(y_te)}: embed DIR/train.csv and DIR/test.csv")
        columns.append((name, f_tr, f_te))

    def ms(v):
        return f"{100 * np.mean(v):5.1f}" + (f" ± {100 * np.std(v):3.1f}" if len(v) > 1 else "")

    print(f"# reference split and subsets, seed {args.seed}: train {len(y_tr)} / test {len(y_te)}")
    print("| labels | n_labeled x reps | " + " | ".join(c[0] + " LR" for c in columns) + " |")
    print("|---" * (len(columns) + 2) + "|")
    for frac in [float(f) for f in args.fracs.split(",")]:
        subs = label_subsets(y_tr, frac, args.repeats, args.seed)
        cells = [ms([probe(f_tr, y_tr, f_te, y_te, i) for i in subs]) for _, f_tr, f_te in columns]
        print(f"| {100 * frac:g}% | {len(subs[0])} x {len(subs)} | " + " | ".join(cells) + " |",
              flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("split")
    sp.add_argument("--seed", type=int, default=0)
    sp.add_argument("--out", required=True)
    pp = sub.add_parser("probe")
    pp.add_argument("--seed", type=int, default=0)
    pp.add_argument("--dir", required=True)
    pp.add_argument("--features", default="pretext-simclr",
                    help="comma-separated names; each needs NAME-train.npy and NAME-test.npy")
    pp.add_argument("--fracs", default="1.0,0.1,0.02")
    pp.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    write_split(args) if args.command == "split" else print_table(args)


if __name__ == "__main__":
    main()
