#!/usr/bin/env python3
"""Draws bench/results/results.json as a bar chart: median cpu time and peak RSS per benchmark,
one bar per runtime, so a person sees the comparison at a glance."""
import json, sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

results = json.load(open(sys.argv[1]))
rows = [r for r in results if r != "floor"]
runtimes = ["keel", "crun", "runc"]
colors = {"keel": "#2a7ab0", "crun": "#999999", "runc": "#cc7a30"}
fig, axes = plt.subplots(2, 1, figsize=(max(8, len(rows) * 1.1), 8))
for ax, metric, label in [(axes[0], "cpu_ms", "median cpu time (ms, user+sys)"),
                          (axes[1], "rss_mib", "median peak RSS (MiB)")]:
    width = 0.27
    for i, rt in enumerate(runtimes):
        vals = []
        for r in rows:
            s = results[r].get(rt)
            vals.append(s[metric][0] if s else 0)
        ax.bar([x + (i - 1) * width for x in range(len(rows))], vals, width, label=rt,
               color=colors[rt])
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels(rows, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(label)
    ax.set_yscale("log")
    ax.legend()
axes[0].set_title("keel vs crun vs runc (lower is better; log scale)")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=100)
print("chart: %s" % sys.argv[2])
