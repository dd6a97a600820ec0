#!/usr/bin/python3
"""Reference CI-NEB of a vacancy hop in a Morse fcc crystal, computed with ASE.

Run by tests/neb/NebAseMorse_test.cpp; writes "key value" lines to the file given as argv[1].
The setup must match the C++ side exactly:
  - ase.calculators.morse.MorsePotential(epsilon=D, r0=r0, rho0=alpha*r0, rcut1=R1/r0, rcut2=R2/r0)
    with D = 0.3429 eV, alpha = 1.3588 1/A, r0 = 2.866 A (Girifalco & Weizer's Cu), its quintic
    smooth cutoff switching between R1 = 4.6 A and R2 = 5.4 A; ionhop's morse with
    switch_on_A = 4.6 and cutoff_A = 5.4 (no energy shift) is the same function;
  - 3x3x3 conventional fcc cells, a = 3.61 A, atoms generated in the order
    for i, j, k in cells: for b in [(0,0,0), (1/2,1/2,0), (1/2,0,1/2), (0,1/2,1/2)];
  - the atom at site 1 (a/2, a/2, 0) is removed; atom 0 (origin) hops into its place;
  - end states relaxed to fmax 1e-4 eV/A; band of 5 intermediate images, linear interpolation,
    k = 0.1 eV/A^2, climbing image from the start, ASE's FIRE with its default parameters.
Force calls are counted as MorsePotential.calculate() calls on the band's images (end points
included once), the same way ionhop counts Potential::compute calls.
"""
import sys

import numpy as np
from ase import Atoms
from ase.calculators.morse import MorsePotential
from ase.neb import NEB
from ase.optimize import BFGS, FIRE

D, ALPHA, R0, R1, R2, A, N = 0.3429, 1.3588, 2.866, 4.6, 5.4, 3.61, 3
N_IMAGES = 5


class CountingMorse(MorsePotential):
    calls = 0

    def calculate(self, *args, **kwargs):
        CountingMorse.calls += 1
        super().calculate(*args, **kwargs)


def calc():
    return CountingMorse(epsilon=D, r0=R0, rho0=ALPHA * R0, rcut1=R1 / R0, rcut2=R2 / R0)


def host():
    basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]
    pos = [A * (np.array([i, j, k]) + np.array(b)) for i in range(N) for j in range(N) for k in range(N) for b in basis]
    return Atoms("Cu%d" % len(pos), positions=pos, cell=np.eye(3) * N * A, pbc=True)


def end_states():
    h = host()
    target = h.positions[1].copy()
    del h[1]
    initial = h.copy()
    final = h.copy()
    final.positions[0] = target
    for s in (initial, final):
        s.calc = calc()
        BFGS(s, logfile=None).run(fmax=1e-4, steps=1000)
    return initial, final


def run_neb(initial, final, fmax):
    images = [initial.copy()] + [initial.copy() for _ in range(N_IMAGES)] + [final.copy()]
    for im in images:
        im.calc = calc()
    neb = NEB(images, k=0.1, climb=True)
    neb.interpolate()
    CountingMorse.calls = 0
    opt = FIRE(neb, logfile=None)
    converged = opt.run(fmax=fmax, steps=5000)
    energies = [im.get_potential_energy() for im in images]
    return {
        "barrier": max(energies) - energies[0],
        "calls": CountingMorse.calls,
        "steps": opt.get_number_of_steps(),
        "converged": int(bool(converged)),
    }


def main():
    initial, final = end_states()
    probe = host()
    probe.calc = calc()
    out = ["e_initial %.12f" % initial.get_potential_energy(), "e_final %.12f" % final.get_potential_energy(),
           "e_host %.12f" % probe.get_potential_energy()]
    for fmax in (0.05, 0.01, 0.001):
        r = run_neb(initial, final, fmax)
        tag = ("%g" % fmax).replace(".", "p")
        for key, value in r.items():
            out.append("%s_%s %s" % (key, tag, repr(value)))
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
