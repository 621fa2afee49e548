"""Unified Social Credit Code checks (GB 32100-2015, docs/domain.md "Unified Social Credit Code")."""

import pytest
from django.core.exceptions import ValidationError

from vendors.uscc import check_character, check_uscc, checksum_warning, normalize_uscc, validate_uscc

HUAWEI = "914403001922038216"


def test_a_real_code_is_valid():
    check = check_uscc(HUAWEI)

    assert check.code == HUAWEI
    assert check.checksum_ok
    assert check.expected_check == "6"


def test_a_wrong_check_character_is_a_warning_not_an_error():
    check = check_uscc(HUAWEI[:17] + "7")

    assert check.checksum_ok is False
    assert check.expected_check == "6"
    validate_uscc(HUAWEI[:17] + "7")  # the model field accepts it
    assert "expected 6" in checksum_warning(check)
    assert "national enterprise credit registry" in checksum_warning(check)


def test_lowercase_and_spaces_are_normalised():
    prefix = "91310000MA1FL8TQ2"
    code = prefix + check_character(prefix)

    check = check_uscc(f"  {code[:8].lower()} {code[8:].lower()} ")

    assert check.code == code
    assert check.checksum_ok
    assert normalize_uscc(" 9144 0300 1922 0382 16 ") == HUAWEI


def test_a_full_width_code_typed_with_a_chinese_input_method_is_normalised():
    prefix = "91310000MA1FL8TQ2"
    code = prefix + check_character(prefix)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # ９１３１…ｍａ１ｆｌ…

    assert check_uscc(full_width).code == code
    assert normalize_uscc("９１４４０３００\u3000１９２２０３８２１６") == HUAWEI  # with an ideographic space


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_charset_are_refused_naming_them(letter):
    with pytest.raises(ValidationError) as refused:
        check_uscc("91440300192203" + letter + "216")

    assert refused.value.code == "forbidden_letter"
    message = refused.value.messages[0]
    assert "I, O, S, V and Z never occur" in message
    assert f"found {letter}" in message


@pytest.mark.parametrize("code", [HUAWEI[:17], HUAWEI + "0", "9144"])
def test_a_wrong_length_is_refused_saying_how_long_it_is(code):
    with pytest.raises(ValidationError) as refused:
        check_uscc(code)

    assert refused.value.code == "length"
    assert refused.value.messages == [
        f"A Unified Social Credit Code has 18 characters; this one has {len(code)}."
    ]


def test_an_empty_code_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_uscc("   ")
    assert refused.value.code == "required"


def test_punctuation_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_uscc("91440300-922038216")
    assert refused.value.code == "bad_character"
    assert "-" in refused.value.messages[0]


def test_the_division_code_must_be_digits():
    with pytest.raises(ValidationError) as refused:
        check_uscc("9144A3001922038216")
    assert refused.value.code == "division"


def test_a_check_value_of_31_maps_to_zero():
    # Brute-force a prefix whose weighted sum is divisible by 31: the check character must then be "0".
    from vendors.uscc import CHARSET, VALUES, WEIGHTS

    base = "91440300192203821"
    for c in CHARSET:
        prefix = base[:16] + c
        if sum(VALUES[ch] * w for ch, w in zip(prefix, WEIGHTS, strict=False)) % 31 == 0:
            assert check_character(prefix) == "0"
            return
    pytest.fail("no prefix with a zero remainder among the tried ones")
