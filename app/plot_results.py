#!/usr/bin/python3
"""Plots of an ionhop results file (layout: docs/results-format.md).

Usage:
    /usr/bin/python3 plot_results.py RESULTS.h5 [--outdir DIR]

Writes, next to RESULTS.h5 or into DIR:
    <stem>_arrhenius.png  sigma*T and tracer D* against 1000/T (log scale), with error bars and,
                          when /arrhenius exists (two or more temperatures), the fitted lines
                          ln(y) = ln_prefactor - Ea/(k_B T) and Ea +- error in the legend.
    <stem>_msd.png        tracer MSD (per species) and charge MSD against lag time for every
                          temperature: mean over replicas, a band of +- one standard deviation
                          across replicas, and a least-squares line over the fit window
                          [fit_from_lag_s, fit_to_lag_s] (a visual check of the linear regime;
                          the reported coefficients are the ones in /summary).

Exit status: 0 on success, 2 if the file is missing, not HDF5, or lacks required groups or
datasets, 3 if matplotlib or h5py cannot be imported.

Needs Debian's python3-matplotlib and python3-h5py; uses the non-interactive Agg backend.
"""

import argparse
import math
import os
import re
import sys

K_B_EV_PER_K = 8.617333262e-5  # CODATA 2018, as lattice/Units.hpp

EXIT_BAD_INPUT = 2
EXIT_MISSING_MODULE = 3


class ResultsError(Exception):
    """The results file cannot be plotted; the message says why."""


def _import_modules():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import numpy as np
        import h5py
    except ImportError as error:
        print(
            f"plot_results.py: cannot import {error.name} ({error}); "
            "install python3-matplotlib and python3-h5py",
            file=sys.stderr,
        )
        sys.exit(EXIT_MISSING_MODULE)
    return plt, np, h5py


def _require(node, name, where):
    if name not in node:
        raise ResultsError(f"'{where.rstrip('/')}/{name}' is missing")
    return node[name]


def _as_str(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _species_in_summary(summary):
    """Species names s for which /summary/D_tracer_<s>_cm2_s exists, in sorted order."""
    pattern = re.compile(r"^D_tracer_(.+)_cm2_s$")
    return sorted(m.group(1) for m in (pattern.match(name) for name in summary.keys()) if m)


def _temperature_groups(temperatures):
    """(name, group) of /temperatures/T_nnn in input (numeric) order."""
    pattern = re.compile(r"^T_(\d+)$")
    groups = [(int(m.group(1)), name) for name in temperatures.keys() for m in [pattern.match(name)] if m]
    if not groups:
        raise ResultsError("'/temperatures' has no T_<index> groups")
    return [(name, temperatures[name]) for _, name in sorted(groups)]


def _fit_label(fit, symbol):
    ea = float(fit.attrs["Ea_eV"])
    err = float(fit.attrs["Ea_stderr_eV"])
    return f"fit {symbol}: $E_a$ = {ea:.3f} ± {err:.3f} eV"


def _arrhenius_line(np, fit, temperatures_K):
    """Evaluates exp(ln_prefactor - Ea/(k_B T)) on a dense 1/T grid spanning the data."""
    inverse = 1.0 / np.asarray(temperatures_K, dtype=float)
    grid = np.linspace(inverse.min(), inverse.max(), 200)
    ln_prefactor = float(fit.attrs["ln_prefactor"])
    ea = float(fit.attrs["Ea_eV"])
    return 1000.0 * grid, np.exp(ln_prefactor - ea * grid / K_B_EV_PER_K)


def plot_arrhenius(plt, np, results, out_path):
    summary = _require(results, "summary", "/")
    temperature = np.asarray(_require(summary, "temperature_K", "/summary")[()], dtype=float)
    sigma = np.asarray(_require(summary, "sigma_total_S_cm", "/summary")[()], dtype=float)
    sigma_err = np.asarray(_require(summary, "sigma_total_S_cm_stderr", "/summary")[()], dtype=float)
    species = _species_in_summary(summary)
    arrhenius = results["arrhenius"] if "arrhenius" in results else None
    x = 1000.0 / temperature

    fig, (ax_sigma, ax_d) = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)

    ax_sigma.errorbar(x, sigma * temperature, yerr=sigma_err * temperature, fmt="o", capsize=3,
                      color="C0", label="KMC")
    if arrhenius is not None and "sigmaT" in arrhenius:
        fit = arrhenius["sigmaT"]
        line_x, line_y = _arrhenius_line(np, fit, temperature)
        ax_sigma.plot(line_x, line_y, "-", color="C0", alpha=0.7, label=_fit_label(fit, "σT"))
    if arrhenius is None:
        for ax in (ax_sigma, ax_d):
            ax.text(0.02, 0.02, "no Arrhenius fit in this file (needs two or more temperatures)",
                    transform=ax.transAxes, fontsize="small", color="gray")
    ax_sigma.set_yscale("log")
    ax_sigma.set_xlabel("1000 / T  [1/K]")
    ax_sigma.set_ylabel("σ T  [S K / cm]")
    ax_sigma.set_title("Conductivity")
    ax_sigma.legend(fontsize="small")

    for index, s in enumerate(species):
        color = f"C{index + 1}"
        d = np.asarray(summary[f"D_tracer_{s}_cm2_s"][()], dtype=float)
        err_name = f"D_tracer_{s}_cm2_s_stderr"
        d_err = np.asarray(summary[err_name][()], dtype=float) if err_name in summary else None
        ax_d.errorbar(x, d, yerr=d_err, fmt="s", capsize=3, color=color, label=f"D* {s}")
        fit_name = f"D_tracer_{s}"
        if arrhenius is not None and fit_name in arrhenius:
            fit = arrhenius[fit_name]
            line_x, line_y = _arrhenius_line(np, fit, temperature)
            ax_d.plot(line_x, line_y, "-", color=color, alpha=0.7, label=_fit_label(fit, f"D* {s}"))
    ax_d.set_yscale("log")
    ax_d.set_xlabel("1000 / T  [1/K]")
    ax_d.set_ylabel("D*  [cm²/s]")
    ax_d.set_title("Tracer diffusion")
    if species:
        ax_d.legend(fontsize="small")

    title = _as_str(results.attrs.get("study_name", ""))
    if title:
        fig.suptitle(title)
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def _mean_and_spread(np, replicas):
    """Mean and standard deviation over replicas (axis 0) of an [R, L] array."""
    data = np.atleast_2d(np.asarray(replicas, dtype=float))
    mean = data.mean(axis=0)
    spread = data.std(axis=0, ddof=1) if data.shape[0] > 1 else np.zeros_like(mean)
    return mean, spread


def _plot_msd_curve(np, ax, lag, replicas, fit_window, color, linestyle, label):
    mean, spread = _mean_and_spread(np, replicas)
    positive = lag > 0  # log axes: the zero lag cannot be drawn
    ax.plot(lag[positive], mean[positive], linestyle=linestyle, color=color, label=label)
    if np.any(spread > 0):
        low = np.clip(mean - spread, a_min=np.finfo(float).tiny, a_max=None)
        ax.fill_between(lag[positive], low[positive], (mean + spread)[positive], color=color, alpha=0.2,
                        linewidth=0)
    if fit_window is None:
        return
    start, stop = fit_window
    inside = (lag >= start) & (lag <= stop)
    if np.count_nonzero(inside) < 2:
        return
    slope, intercept = np.polyfit(lag[inside], mean[inside], 1)
    line_lag = np.linspace(lag[inside].min(), lag[inside].max(), 50)
    line = slope * line_lag + intercept
    keep = (line > 0) & (line_lag > 0)
    ax.plot(line_lag[keep], line[keep], linestyle=":", color="black", linewidth=1.5)


def plot_msd(plt, np, results, out_path):
    temperatures = _require(results, "temperatures", "/")
    groups = _temperature_groups(temperatures)
    colors = plt.cm.viridis(np.linspace(0.0, 0.9, len(groups)))
    tracer_pattern = re.compile(r"^tracer_(.+)_A2$")
    linestyles = ["-", "--", "-.", (0, (5, 1, 1, 1))]

    fig, (ax_tracer, ax_charge) = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True)
    for color, (name, group) in zip(colors, groups):
        where = f"/temperatures/{name}"
        msd = _require(group, "msd", where)
        lag = np.asarray(_require(msd, "lag_s", where + "/msd")[()], dtype=float)
        temperature = float(group.attrs["temperature_K"]) if "temperature_K" in group.attrs else float("nan")
        fit_window = None
        if "fit_from_lag_s" in msd.attrs and "fit_to_lag_s" in msd.attrs:
            fit_window = (float(msd.attrs["fit_from_lag_s"]), float(msd.attrs["fit_to_lag_s"]))
        label_t = f"{temperature:g} K"
        species = sorted(m.group(1) for m in (tracer_pattern.match(k) for k in msd.keys()) if m)
        for index, s in enumerate(species):
            label = f"{s}, {label_t}" if len(species) > 1 else label_t
            _plot_msd_curve(np, ax_tracer, lag, msd[f"tracer_{s}_A2"][()], fit_window, color,
                            linestyles[index % len(linestyles)], label)
        if "charge_e2A2" in msd:
            _plot_msd_curve(np, ax_charge, lag, msd["charge_e2A2"][()], fit_window, color, "-", label_t)

    for ax, title, ylabel in (
        (ax_tracer, "Tracer MSD (mean ± sd over replicas)", "⟨|Δr|²⟩  [Å²]"),
        (ax_charge, "Charge MSD (mean ± sd over replicas)", "⟨|Σ q Δr|²⟩  [e² Å²]"),
    ):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("lag time  [s]")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize="medium")
        ax.plot([], [], linestyle=":", color="black", label="linear fit over fit window")
        ax.legend(fontsize="x-small")
    fig.savefig(out_path, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Plot an ionhop HDF5 results file.")
    parser.add_argument("results", help="results file (HDF5) written by ionhop")
    parser.add_argument("--outdir", help="directory for the PNG files (default: next to the results file)")
    args = parser.parse_args(argv)

    if not os.path.isfile(args.results):
        print(f"plot_results.py: no such results file: {args.results}", file=sys.stderr)
        return EXIT_BAD_INPUT
    plt, np, h5py = _import_modules()

    outdir = args.outdir or os.path.dirname(os.path.abspath(args.results))
    os.makedirs(outdir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(args.results))[0]
    outputs = [os.path.join(outdir, f"{stem}_arrhenius.png"), os.path.join(outdir, f"{stem}_msd.png")]

    try:
        results = h5py.File(args.results, "r")
    except OSError as error:
        print(f"plot_results.py: cannot read {args.results} as HDF5: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    with results:
        try:
            file_format = _as_str(results.attrs.get("format", ""))
            if file_format != "ionhop-results":
                raise ResultsError(f"root attribute format is '{file_format}', expected 'ionhop-results'")
            plot_arrhenius(plt, np, results, outputs[0])
            plot_msd(plt, np, results, outputs[1])
        except (ResultsError, KeyError) as error:
            print(f"plot_results.py: {args.results}: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
    for path in outputs:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
