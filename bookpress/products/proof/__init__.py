"""Manuscript -> the reviewer's proof: RGB 150 ppi pages, PROOF mark and build identity, guides, spreads."""

from __future__ import annotations

from .build import PROOF_PPI, ProofOptions, ProofResult, default_proof_output, make_proof, review_folder
from .identity import BuildIdentity, build_identity, manuscript_hash

__all__ = [
    "PROOF_PPI", "BuildIdentity", "ProofOptions", "ProofResult", "build_identity", "default_proof_output",
    "make_proof", "manuscript_hash", "review_folder",
]
