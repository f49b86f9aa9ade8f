import json
import random

import pytest

from theoros_agents.agents.judge.calibration import (
    Calibration,
    fit_isotonic,
    load_calibration,
    save_calibration,
)
from theoros_agents.agents.judge.strategies import calibration_for
from theoros_agents.errors import ConfigError


def test_isotonic_fit_pools_adjacent_violators():
    # Raw 2 and 3 are out of order for people (4 then 3): they pool to their mean, 3.5.
    calibration = fit_isotonic([1, 2, 3, 4], [1, 4, 3, 5])
    assert [calibration.apply(x) for x in (1, 2, 3, 4)] == [1, 3.5, 3.5, 5]


def test_isotonic_fit_is_monotone_on_noisy_data():
    rng = random.Random(7)
    raw = [rng.uniform(1, 5) for _ in range(200)]
    human = [min(5, max(1, r + rng.gauss(0, 1.5))) for r in raw]
    calibration = fit_isotonic(raw, human)
    grid = [1 + 4 * i / 100 for i in range(101)]
    values = [calibration.apply(x) for x in grid]
    assert all(b >= a for a, b in zip(values, values[1:], strict=False))
    assert all(1 <= v <= 5 for v in values)


def test_equal_raw_scores_share_their_human_mean():
    calibration = fit_isotonic([2, 2, 4], [1, 3, 5])
    assert calibration.apply(2) == 2 and calibration.apply(4) == 5
    assert calibration.apply(3) == pytest.approx(3.5)  # linear between knots


def test_outputs_are_clipped_to_the_scale_and_flat_outside_the_knots():
    calibration = Calibration((2.0, 3.0), (0.0, 9.0))
    assert calibration.apply(-100) == 1 and calibration.apply(100) == 5
    assert calibration.apply(2.5) == 4.5


def test_fit_apply_save_load_round_trip(tmp_path):
    calibration = fit_isotonic([1.2, 1.9, 2.4, 3.3, 4.1], [1, 2, 2, 4, 5])
    path = tmp_path / "calibration.json"
    save_calibration(calibration, path)
    loaded = load_calibration(path)
    assert loaded == calibration
    assert [loaded.apply(x) for x in (1.5, 2.0, 3.9)] == [calibration.apply(x) for x in (1.5, 2.0, 3.9)]
    assert set(json.loads(path.read_text())) == {"x", "y"}


@pytest.mark.parametrize(
    ("raw", "human", "message"),
    [([], [], "no items"), ([1, 2], [3], "length mismatch"), ([1, float("nan")], [2, 3], "finite")],
)
def test_bad_training_data_is_refused(raw, human, message):
    with pytest.raises(ValueError, match=message):
        fit_isotonic(raw, human)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"x": [1, 2]}, "calibration is"),
        ({"x": [2, 1], "y": [1, 2]}, "must increase"),
        ({"x": [1, 2], "y": [3, 2]}, "must not decrease"),
        ({"x": [1, 2], "y": [1]}, "as many x as y"),
        ({"x": ["a"], "y": [1]}, "must be numbers"),
        ({"x": [1, True], "y": [1, 2]}, "must be numbers"),
        ([1, 2, 3], "calibration is"),
    ],
)
def test_malformed_calibration_files_are_clear_errors(tmp_path, document, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ConfigError, match=message):
        load_calibration(path)


def test_an_unreadable_calibration_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read calibration"):
        load_calibration(path)


def test_non_finite_raw_scores_are_refused():
    with pytest.raises(ValueError, match="non-finite"):
        Calibration((1.0, 5.0), (1.0, 5.0)).apply(float("inf"))


def test_the_shipped_answer_calibration_is_monotone_and_on_the_scale():
    calibration = calibration_for("answer")
    assert calibration is not None
    values = [calibration.apply(1 + 4 * i / 50) for i in range(51)]
    assert all(b >= a for a, b in zip(values, values[1:], strict=False)) and all(1 <= v <= 5 for v in values)
    assert values[-1] > values[0]  # it maps a higher model score to a higher human score
    assert calibration_for("subgenre_fit") is None
