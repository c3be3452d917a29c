"""Learned ranking and calibrated confidence: numpy-only inference, training kept apart."""
