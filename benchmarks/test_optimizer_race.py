"""The optimizer comparison runs, and reports the epoch that reached its target."""

from .optimizer_race import race


def test_race_stops_at_the_first_epoch_reaching_the_target():
    row = race("adam", 0.01, target=0.9, epochs=20)
    assert row["epochs"] is not None and 1 <= row["epochs"] <= 20
    assert row["best"] >= 0.9 and row["seconds"] > 0
    assert race("gd", 1e-6, target=0.99, epochs=2)["epochs"] is None  # far too slow: never reached
