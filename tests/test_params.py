"""Whole numbers from the query string (jinzang/params.py): digits or nothing, never an
error."""

from django.http import QueryDict

from jinzang.params import int_param, whole_number


def test_digits_are_a_number():
    assert int_param(QueryDict("household=42"), "household") == 42
    assert int_param(QueryDict("page=007"), "page", 1) == 7
    assert whole_number("0") == 0


def test_anything_else_is_the_default():
    hostile = ["", " 1", "1 ", "-1", "+1", "1.0", "1e3", "１２３", "0x1f", "1_000", "\x00", "a"]
    for value in hostile:
        assert int_param({"n": value}, "n", "d") == "d", value
    assert int_param(QueryDict(""), "n") is None


def test_a_key_past_the_database_range_is_still_a_number_that_finds_nothing():
    assert int_param(QueryDict(f"n={2**64}"), "n") == 2**64


def test_too_many_digits_are_the_default():
    assert whole_number("123456789", max_digits=8) is None
    assert whole_number("12345678", max_digits=8) == 12345678
    assert whole_number("9" * 5000) is None  # more than Python reads as a number
