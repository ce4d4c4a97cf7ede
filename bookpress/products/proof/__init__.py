"""Manuscript -> the reviewer's proof: RGB 150 ppi pages, PROOF mark and build identity, guides, spreads."""

from .build import ProofOptions, ProofResult, make_proof, review_folder

__all__ = ["ProofOptions", "ProofResult", "make_proof", "review_folder"]
