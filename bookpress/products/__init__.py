"""What bookpress makes besides the print PDF, from the same stages: proofs, the review report, the cover, specimens."""
