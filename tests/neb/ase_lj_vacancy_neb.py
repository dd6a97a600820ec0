#!/usr/bin/python3
"""Reference CI-NEB of a vacancy hop in a Lennard-Jones fcc crystal, computed with ASE.

Run by tests/neb/NebAseLj_test.cpp; writes "key value" lines to the file given as argv[1].
The setup must match the C++ side exactly:
  - ase.calculators.lj.LennardJones(epsilon=0.4 eV, sigma=2.3 Å, rc=4.8 Å, smooth=False): the pair
    energy is shifted to zero at rc (forces are not), as in ionhop's lennard_jones with cutoff_A;
  - 3×3×3 conventional fcc cells, a = 3.651 Å, atoms generated in the order
    for i, j, k in cells: for b in [(0,0,0), (½,½,0), (½,0,½), (0,½,½)];
  - the atom at site 1 (a/2, a/2, 0) is removed; atom 0 (origin) hops into its place;
  - end states relaxed to fmax 1e-4 eV/Å; band of 5 intermediate images, linear interpolation,
    k = 0.1 eV/Å², climbing image from the start, ASE's FIRE with its default parameters.
Force calls are counted as LennardJones.calculate() calls on the band's images (end points
included once), the same way ionhop counts Potential::compute calls.
"""
import sys

import numpy as np
from ase import Atoms
from ase.calculators.lj import LennardJones
from ase.neb import NEB
from ase.optimize import BFGS, FIRE

EPS, SIGMA, RC, A, N = 0.4, 2.3, 4.8, 3.651, 3
N_IMAGES = 5


class CountingLJ(LennardJones):
    calls = 0

    def calculate(self, *args, **kwargs):
        CountingLJ.calls += 1
        super().calculate(*args, **kwargs)


def calc():
    return CountingLJ(epsilon=EPS, sigma=SIGMA, rc=RC, smooth=False)


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
    CountingLJ.calls = 0
    opt = FIRE(neb, logfile=None)
    converged = opt.run(fmax=fmax, steps=5000)
    energies = [im.get_potential_energy() for im in images]
    return {
        "barrier": max(energies) - energies[0],
        "calls": CountingLJ.calls,
        "steps": opt.get_number_of_steps(),
        "converged": int(bool(converged)),
    }


def main():
    initial, final = end_states()
    out = ["e_initial %.12f" % initial.get_potential_energy(), "e_final %.12f" % final.get_potential_energy()]
    for fmax in (0.05, 0.01, 0.001):
        r = run_neb(initial, final, fmax)
        tag = ("%g" % fmax).replace(".", "p")
        for key, value in r.items():
            out.append("%s_%s %s" % (key, tag, repr(value)))
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
