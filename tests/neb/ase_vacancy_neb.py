#!/usr/bin/env python3
"""Reference CI-NEB of a vacancy hop in an fcc pair-potential crystal, computed with ASE.

Run by tests/neb/NebAse_test.cpp as  ase_vacancy_neb.py {lj|morse} OUT ; writes "key value"
lines to OUT. The set-up must match the C++ driver exactly:
  - lj: ase.calculators.lj.LennardJones(epsilon=0.4 eV, sigma=2.3 Å, rc=4.8 Å, smooth=False):
    the pair energy is shifted to zero at rc (forces are not), as ionhop's lennard_jones with
    cutoff_A; a = 3.651 Å.
  - morse: ase.calculators.morse.MorsePotential(epsilon=D, r0=r0, rho0=alpha*r0, rcut1=R1/r0,
    rcut2=R2/r0) with D = 0.3429 eV, alpha = 1.3588 1/Å, r0 = 2.866 Å (Girifalco & Weizer's Cu)
    and its quintic switch between R1 = 4.6 Å and R2 = 5.4 Å; ionhop's morse with
    switch_on_A = 4.6 and cutoff_A = 5.4 (no energy shift) is the same function; a = 3.61 Å.
  - 3×3×3 conventional fcc cells, atoms generated in the order
    for i, j, k in cells: for b in [(0,0,0), (½,½,0), (½,0,½), (0,½,½)];
  - vacancy: atom 1 removed, atom 0 hops into its place;
  - end states relaxed to fmax 1e-4 eV/Å; band of 5 intermediate images, linear interpolation,
    k = 0.1 eV/Å², climbing image from the start, ASE's FIRE with its default parameters.
Force calls are counted as calculate() calls on the band's images (end points included, as ASE
evaluates them), from the start of the band optimisation.
"""
import sys

import numpy as np
from ase import Atoms
from ase.calculators.lj import LennardJones
from ase.calculators.morse import MorsePotential
from ase.neb import NEB
from ase.optimize import BFGS, FIRE

N, N_IMAGES = 3, 5
CALLS = [0]


def counting(base):
    class Counting(base):
        def calculate(self, *args, **kwargs):
            CALLS[0] += 1
            super().calculate(*args, **kwargs)

    return Counting


SETUPS = {
    "lj": (3.651, lambda: counting(LennardJones)(epsilon=0.4, sigma=2.3, rc=4.8, smooth=False)),
    "morse": (3.61, lambda: counting(MorsePotential)(epsilon=0.3429, r0=2.866, rho0=1.3588 * 2.866,
                                                     rcut1=4.6 / 2.866, rcut2=5.4 / 2.866)),
}


def host(a):
    basis = [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]
    pos = [a * (np.array([i, j, k]) + np.array(b)) for i in range(N) for j in range(N) for k in range(N) for b in basis]
    return Atoms("Cu%d" % len(pos), positions=pos, cell=np.eye(3) * N * a, pbc=True)


def end_states(a, calc):
    h = host(a)
    target = h.positions[1].copy()
    del h[1]
    initial = h.copy()
    final = h.copy()
    final.positions[0] = target
    for s in (initial, final):
        s.calc = calc()
        BFGS(s, logfile=None).run(fmax=1e-4, steps=1000)
    return initial, final


def run_neb(initial, final, calc, fmax):
    images = [initial.copy()] + [initial.copy() for _ in range(N_IMAGES)] + [final.copy()]
    for im in images:
        im.calc = calc()
    neb = NEB(images, k=0.1, climb=True)
    neb.interpolate()
    CALLS[0] = 0
    opt = FIRE(neb, logfile=None)
    converged = opt.run(fmax=fmax, steps=5000)
    energies = [im.get_potential_energy() for im in images]
    return {
        "barrier": max(energies) - energies[0],
        "calls": CALLS[0],
        "steps": opt.get_number_of_steps(),
        "converged": int(bool(converged)),
    }


def main():
    a, calc = SETUPS[sys.argv[1]]
    initial, final = end_states(a, calc)
    probe = host(a)
    probe.calc = calc()
    out = ["e_initial %.12f" % initial.get_potential_energy(), "e_final %.12f" % final.get_potential_energy(),
           "e_host %.12f" % probe.get_potential_energy()]
    for fmax in (0.05, 0.01, 0.001):
        r = run_neb(initial, final, calc, fmax)
        tag = ("%g" % fmax).replace(".", "p")
        for key, value in r.items():
            out.append("%s_%s %s" % (key, tag, repr(value)))
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
