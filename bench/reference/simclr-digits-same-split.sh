#!/bin/bash
# Pretext's SimCLR digits recipe on the PyTorch reference's own splits, probed with the
# reference's label subsets and scikit-learn probe (bench/README.md). Needs Debian's python3-sklearn
# and a built launcher (mvn -q -B package -DskipTests).
#   bench/reference/simclr-digits-same-split.sh [SEED ...]     (default: 0 1 2 3 4)
set -euo pipefail
cd "$(dirname "$0")/../.."
python=/usr/bin/python3
work=runs/simclr-digits-same-split
for seed in "${@:-0 1 2 3 4}"; do
  for s in $seed; do
    dir=$work/$s
    "$python" bench/reference/simclr_digits_same_split.py split --seed "$s" --out "$dir" >&2
    ./pretext pretrain examples/vision-simclr-digits.yaml --evaluate --set seed="$s" \
      --set output="$dir/run" --set data.path="$PWD/$dir/train.csv" \
      --set test-data.id=pixel-csv --set test-data.path="$PWD/$dir/test.csv" > "$dir/pretrain.log" 2>&1
    grep "final loss" "$dir/pretrain.log"
    for part in train test; do
      ./pretext embed --encoder "$dir/run/encoder.safetensors" --data "$dir/$part.csv" \
        --out "$dir/pretext-simclr-$part.npy" > /dev/null 2>&1
    done
    "$python" bench/reference/simclr_digits_same_split.py probe --seed "$s" --dir "$dir"
  done
done
