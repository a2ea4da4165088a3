"""Optuna's TPE on SamplerBenchmark's protocol, for the README's side-by-side figures.

Median over seeds of the best value after 25, 40, 50 and 100 trials on Branin and Hartmann-6
with TPESampler(seed=s) (defaults; "mv" for multivariate=True). Needs Optuna (Debian:
python3-optuna 3.1.0, run with /usr/bin/python3). Usage: python3 optuna_tpe.py [SEEDS] [mv]
"""
import math
import statistics
import sys

import optuna

ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
AT = [25, 40, 50, 100]


def branin(trial):
    x1 = trial.suggest_float("x1", -5, 10)
    x2 = trial.suggest_float("x2", 0, 15)
    b = 5.1 / (4 * math.pi ** 2)
    return (x2 - b * x1 * x1 + 5 / math.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x1) + 10


def hartmann6(trial):
    x = [trial.suggest_float("x%d" % (j + 1), 0, 1) for j in range(6)]
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4))


def main():
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    multivariate = len(sys.argv) > 2 and sys.argv[2] == "mv"
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for name, f in [("branin", branin), ("hartmann6", hartmann6)]:
        bests = {k: [] for k in AT}
        for seed in range(seeds):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, multivariate=multivariate))
            study.optimize(f, n_trials=100)
            values = [t.value for t in study.trials]
            for k in AT:
                bests[k].append(min(values[:k]))
        print(name, "multivariate" if multivariate else "", seeds, "seeds:",
              "  ".join("after %d: %.3f" % (k, statistics.median(bests[k])) for k in AT), flush=True)


if __name__ == "__main__":
    main()
