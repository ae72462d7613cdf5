import datetime

import pytest
from django.core.exceptions import ValidationError

from residents.validators import (
    id_birth_date,
    id_check_char,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
    validate_mobile,
)

# The example number of the national standard (GB 11643), whose check character is X.
ID_WITH_X = "11010519491231002X"
ID_WITH_DIGIT = "520103198001010001"


def error_code(validator, value):
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value.code


@pytest.mark.parametrize("number", ["13812345678", "15900001111", "19912345678"])
def test_mainland_mobile_number_is_valid(number):
    validate_mobile(number)


@pytest.mark.parametrize(
    "number",
    [
        "1381234567",  # ten digits
        "138123456789",  # twelve digits
        "12812345678",  # 12 is no mobile prefix
        "10812345678",
        "23812345678",
        "1381234567a",
        "",
    ],
)
def test_mobile_number_of_wrong_length_or_prefix_is_rejected(number):
    assert error_code(validate_mobile, number) == "invalid_mobile"


def test_mobile_error_message_gives_an_example():
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile("12345")
    assert "13812345678" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "138 1234 5678",
        "138-1234-5678",
        "(138) 1234 5678",
        "+86 13812345678",
        "+86-138-1234-5678",
        "0086 13812345678",
        " 13812345678 ",
    ],
)
def test_normalize_phone_strips_spaces_dashes_and_country_code(typed):
    assert normalize_phone(typed) == "13812345678"
    validate_mobile(normalize_phone(typed))


def test_normalize_phone_of_nothing_is_empty():
    assert normalize_phone(None) == ""
    assert normalize_phone("") == ""


def test_normalised_number_that_is_still_too_short_is_rejected():
    assert error_code(validate_mobile, normalize_phone("+86 138 1234 567")) == "invalid_mobile"


def test_id_number_with_digit_check_character_is_valid():
    validate_id_number(ID_WITH_DIGIT)


def test_id_number_with_x_check_character_is_valid():
    validate_id_number(ID_WITH_X)


def test_check_character_follows_the_national_standard():
    assert id_check_char(ID_WITH_X[:17]) == "X"
    assert id_check_char(ID_WITH_DIGIT[:17]) == "1"


def test_id_number_with_wrong_check_digit_is_rejected():
    assert error_code(validate_id_number, ID_WITH_DIGIT[:17] + "2") == "invalid_id_checksum"
    assert error_code(validate_id_number, ID_WITH_X[:17] + "0") == "invalid_id_checksum"


@pytest.mark.parametrize(
    "first17",
    [
        "52010319800230000",  # 30 February
        "52010319801301000",  # month 13
        "52010318991231000",  # before 1900
        "52010320991231000",  # not born yet
    ],
)
def test_id_number_with_impossible_birth_date_is_rejected(first17):
    # A correct check character, so only the date is wrong.
    number = first17 + id_check_char(first17)
    assert error_code(validate_id_number, number) == "invalid_id_birth_date"


@pytest.mark.parametrize(
    "number",
    [
        ID_WITH_DIGIT[:-1],  # 17 characters
        ID_WITH_DIGIT + "0",  # 19 characters
        "520103800101001",  # the old 15-digit format
        "52010319800101000Y",
        "5201031980010100X1",
        "",
    ],
)
def test_id_number_of_wrong_length_or_characters_is_rejected(number):
    assert error_code(validate_id_number, number) == "invalid_id_format"


def test_lowercase_x_is_rejected_until_normalised():
    lowercase = ID_WITH_X.lower()
    assert error_code(validate_id_number, lowercase) == "invalid_id_format"
    assert normalize_id_number(lowercase) == ID_WITH_X
    validate_id_number(normalize_id_number(lowercase))


def test_normalize_id_number_removes_spaces():
    assert normalize_id_number(" 110105 19491231 002x ") == ID_WITH_X


def test_birth_date_is_read_from_the_id_number():
    assert id_birth_date(ID_WITH_X) == datetime.date(1949, 12, 31)
    assert id_birth_date("52010319800230000X") is None


def test_mask_phone_keeps_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"


def test_mask_phone_of_short_or_empty_value():
    assert mask_phone("") == ""
    assert mask_phone("12345") == "*****"


def test_mask_id_number_keeps_first_four_and_last_four_characters():
    assert mask_id_number(ID_WITH_X) == "1101**********002X"
    assert len(mask_id_number(ID_WITH_X)) == 18


def test_mask_id_number_of_short_or_empty_value():
    assert mask_id_number("") == ""
    assert mask_id_number("1234567") == "*******"
