"""redecode.py: the --set parser refuses unknown keys and keeps integer keys integers."""
import pytest

from redecode import parse_setting


def test_known_keys_parse_with_their_type():
    assert parse_setting("frame_onset_max_pitch=40") == ("frame_onset_max_pitch", 40)
    assert isinstance(parse_setting("frame_onset_max_pitch=40")[1], int)
    assert parse_setting("frame_onset_high=0.6") == ("frame_onset_high", 0.6)
    assert isinstance(parse_setting("onset_threshold=1")[1], float)  # a float key stays a float


def test_unknown_keys_and_bad_numbers_are_refused():
    with pytest.raises(SystemExit, match="unknown decoding key"):
        parse_setting("frame_onset_max=40")
    with pytest.raises(ValueError):
        parse_setting("frame_onset_high=high")
