"""Predicted against observed correctness: the calibration table (numpy only)."""

from __future__ import annotations

import itertools

import numpy as np

CALIBRATION_BUCKETS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 1.0)


def calibration_table(confidence: np.ndarray, right: np.ndarray) -> list[dict[str, float]]:
    """Predicted against observed correctness per confidence bucket."""
    table = []
    edges = CALIBRATION_BUCKETS
    for low, high in itertools.pairwise(edges):
        inside = (confidence >= low) & ((confidence < high) | (high == 1.0))
        if inside.any():
            table.append(
                {
                    "low": low,
                    "high": high,
                    "questions": int(inside.sum()),
                    "predicted": float(confidence[inside].mean()),
                    "observed": float(right[inside].mean()),
                }
            )
    return table
