"""Qt item models over service results (one per list)."""
